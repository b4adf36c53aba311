// SPDX-License-Identifier: GPL-3.0-or-later
#include "latent/attribute_direction.h"

#include <algorithm>

#include <ATen/ATen.h>

#include "common/error.h"
#include "latent/attribute_pick.h"

namespace latentlab {

AttributeDirection attribute_direction(GeneratorSnapshot& g, const AttributeProbe& probe, const std::string& name,
                                       int samples, std::uint64_t first_seed, const ViewOptions& options) {
    const int column = parse_attribute_wishes(name, probe.names).front().column;
    if (samples < 2) throw Error("an attribute direction needs at least 2 samples");
    constexpr int kBatch = 64;
    at::Tensor sum_with = at::zeros({g.model.nz}, at::kDouble), sum_without = at::zeros({g.model.nz}, at::kDouble);
    AttributeDirection d;
    d.name = probe.names[static_cast<std::size_t>(column)];
    for (int done = 0, b = 0; done < samples; done += kBatch, ++b) {
        const int n = std::min(kBatch, samples - done);
        const at::Tensor z = view_batch(g, first_seed + static_cast<std::uint64_t>(b), n, options).to(at::kCPU);
        const at::Tensor has = attribute_probabilities(probe, draw_values(g, z, options)).select(1, column) > 0.5;
        const at::Tensor zd = z.to(at::kDouble);
        sum_with += (zd * has.unsqueeze(1)).sum(0);
        sum_without += (zd * has.logical_not().unsqueeze(1)).sum(0);
        const auto count = static_cast<std::size_t>(has.sum().item<std::int64_t>());
        d.with += count;
        d.without += static_cast<std::size_t>(n) - count;
    }
    if (d.with == 0 || d.without == 0)
        throw Error("no direction for '" + d.name + "': the probe says " + std::to_string(d.with) + " of " +
                    std::to_string(samples) + " generated images have it");
    d.direction = (sum_with / static_cast<double>(d.with) - sum_without / static_cast<double>(d.without)).to(at::kFloat);
    return d;
}

Image attribute_strip(GeneratorSnapshot& g, const AttributeDirection& d, const LatentRef& from,
                      const std::vector<double>& amounts, const ViewOptions& options) {
    if (amounts.empty()) throw Error("no amounts to move along '" + d.name + "'");
    const at::Tensor z = view_latents(g, {from}, options).to(at::kCPU);
    std::vector<at::Tensor> rows;
    for (double a : amounts) rows.push_back(z[0] + d.direction * a);
    return make_strip(to_images(draw_values(g, at::stack(rows), options)));
}

} // namespace latentlab
