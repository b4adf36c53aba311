// SPDX-License-Identifier: GPL-3.0-or-later
#include "latent/latent_views.h"

#include <ATen/ops/cat.h>

#include "latent/arithmetic.h"

namespace latentlab {
namespace {

std::vector<Image> draw(GeneratorSnapshot& g, const at::Tensor& latents, const ViewOptions& options) {
    return to_images(draw_values(g, latents, options));
}

} // namespace

at::Tensor draw_values(GeneratorSnapshot& g, const at::Tensor& latents, const ViewOptions& options) {
    return generate(g.generator, latents, g.device, options.statistics);
}

at::Tensor view_latents(const GeneratorSnapshot& g, const std::vector<LatentRef>& refs, const ViewOptions& options) {
    at::Tensor latents = latents_for(refs, g.model.nz, options.noise);
    // Truncation shapes how seeds are drawn; a vector read from a file is drawn as stored.
    for (std::size_t i = 0; i < refs.size(); ++i)
        if (!refs[i].is_file()) latents[static_cast<std::int64_t>(i)].mul_(options.truncation);
    return latents;
}

at::Tensor view_batch(const GeneratorSnapshot& g, std::uint64_t seed, int count, const ViewOptions& options) {
    return latent_batch(seed, count, g.model.nz, options.noise) * options.truncation;
}

int grid_columns(int count) {
    int columns = 1;
    while (columns * columns < count) ++columns;
    return columns;
}

std::vector<Image> sample_tiles(GeneratorSnapshot& g, std::uint64_t seed, int count, const ViewOptions& options) {
    return draw(g, view_batch(g, seed, count, options), options);
}

Image sample_grid(GeneratorSnapshot& g, std::uint64_t seed, int count, const ViewOptions& options) {
    return make_grid(sample_tiles(g, seed, count, options), grid_columns(count));
}

Image interpolation_strip(GeneratorSnapshot& g, const LatentRef& from, const LatentRef& to, int steps,
                          InterpolationMode mode, const ViewOptions& options) {
    const at::Tensor keys = view_latents(g, {from, to}, options);
    return make_strip(draw(g, interpolation_path(keys, steps, mode), options));
}

ArithmeticParts arithmetic_parts(GeneratorSnapshot& g, const at::Tensor& za, const at::Tensor& zb, const at::Tensor& zc,
                                 const ViewOptions& options) {
    ArithmeticParts out;
    out.result = latent_arithmetic(za, zb, zc);
    const at::Tensor derived = at::stack({group_mean(za), group_mean(zb), group_mean(zc), out.result});
    const auto tiles = draw(g, at::cat({za, zb, zc, derived}), options);
    ArithmeticSheet& t = out.tiles;
    auto it = tiles.begin();
    for (auto [list, n] : {std::pair{&t.a, za.size(0)}, {&t.b, zb.size(0)}, {&t.c, zc.size(0)}}) {
        list->assign(it, it + n);
        it += n;
    }
    t.mean_a = *it++;
    t.mean_b = *it++;
    t.mean_c = *it++;
    t.result = *it;
    out.sheet = make_arithmetic_sheet(t);
    return out;
}

Image arithmetic_sheet(GeneratorSnapshot& g, const std::vector<LatentRef>& a, const std::vector<LatentRef>& b,
                       const std::vector<LatentRef>& c, const ViewOptions& options) {
    return arithmetic_parts(g, view_latents(g, a, options), view_latents(g, b, options), view_latents(g, c, options),
                            options)
        .sheet;
}

} // namespace latentlab
