// SPDX-License-Identifier: GPL-3.0-or-later
#include "latent/attribute_direction.h"

#include <algorithm>

#include <ATen/ATen.h>

#include "common/error.h"
#include "latent/attribute_pick.h"

namespace latentlab {

std::vector<AttributeDirection> attribute_directions(GeneratorSnapshot& g, const AttributeProbe& probe, int samples,
                                                     std::uint64_t first_seed, const ViewOptions& options) {
    if (samples < 2) throw Error("an attribute direction needs at least 2 samples");
    constexpr int kBatch = 64;
    const auto columns = static_cast<std::int64_t>(probe.names.size());
    // Per attribute, the sums of the latents with it and without it.
    at::Tensor sum_with = at::zeros({columns, g.model.nz}, at::kDouble), sum_all = at::zeros({g.model.nz}, at::kDouble);
    at::Tensor count_with = at::zeros({columns}, at::kLong);
    for (int done = 0, b = 0; done < samples; done += kBatch, ++b) {
        const int n = std::min(kBatch, samples - done);
        const at::Tensor z = view_batch(g, first_seed + static_cast<std::uint64_t>(b), n, options).to(at::kCPU);
        const at::Tensor has = attribute_probabilities(probe, draw_values(g, z, options)) > 0.5;  // [n, columns]
        const at::Tensor zd = z.to(at::kDouble);
        sum_with += has.to(at::kDouble).t().matmul(zd);
        sum_all += zd.sum(0);
        count_with += has.sum(0);
    }
    std::vector<AttributeDirection> out;
    for (std::int64_t c = 0; c < columns; ++c) {
        AttributeDirection d;
        d.name = probe.names[static_cast<std::size_t>(c)];
        d.with = static_cast<std::size_t>(count_with[c].item<std::int64_t>());
        d.without = static_cast<std::size_t>(samples) - d.with;
        if (d.with > 0 && d.without > 0) {
            const at::Tensor mean_with = sum_with[c] / static_cast<double>(d.with);
            const at::Tensor mean_without = (sum_all - sum_with[c]) / static_cast<double>(d.without);
            d.direction = (mean_with - mean_without).to(at::kFloat);
        }
        out.push_back(std::move(d));
    }
    return out;
}

AttributeDirection attribute_direction(GeneratorSnapshot& g, const AttributeProbe& probe, const std::string& name,
                                       int samples, std::uint64_t first_seed, const ViewOptions& options) {
    const int column = parse_attribute_wishes(name, probe.names).front().column;
    AttributeDirection d =
        std::move(attribute_directions(g, probe, samples, first_seed, options)[static_cast<std::size_t>(column)]);
    if (!d.direction.defined())
        throw Error("no direction for '" + d.name + "': the probe says " + std::to_string(d.with) + " of " +
                    std::to_string(samples) + " generated images have it");
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
