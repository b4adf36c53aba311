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

Image arithmetic_sheet(GeneratorSnapshot& g, const std::vector<LatentRef>& a, const std::vector<LatentRef>& b,
                       const std::vector<LatentRef>& c, const ViewOptions& options) {
    const at::Tensor za = view_latents(g, a, options), zb = view_latents(g, b, options), zc = view_latents(g, c, options);
    const at::Tensor derived = at::stack({group_mean(za), group_mean(zb), group_mean(zc), latent_arithmetic(za, zb, zc)});
    // One generator call for every tile keeps batch statistics (when asked for) over the whole sheet.
    const auto tiles = draw(g, at::cat({za, zb, zc, derived}), options);
    ArithmeticSheet sheet;
    auto it = tiles.begin();
    sheet.a.assign(it, it + za.size(0));
    it += za.size(0);
    sheet.b.assign(it, it + zb.size(0));
    it += zb.size(0);
    sheet.c.assign(it, it + zc.size(0));
    it += zc.size(0);
    sheet.mean_a = *it++;
    sheet.mean_b = *it++;
    sheet.mean_c = *it++;
    sheet.result = *it;
    return make_arithmetic_sheet(sheet);
}

} // namespace latentlab
