// SPDX-License-Identifier: GPL-3.0-or-later
#include "latent/attribute_pick.h"

#include <algorithm>

#include <ATen/ATen.h>

#include "common/error.h"

namespace latentlab {

std::vector<AttributeWish> parse_attribute_wishes(const std::string& text, const std::vector<std::string>& names) {
    std::vector<AttributeWish> wishes;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        std::string item = text.substr(start, comma - start);
        start = comma + 1;
        if (item.empty()) continue;
        AttributeWish w;
        if (item.front() == '-') {
            w.present = false;
            item.erase(0, 1);
        }
        const auto it = std::find(names.begin(), names.end(), item);
        if (it == names.end()) {
            std::string known;
            for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
            throw Error("attribute '" + item + "' is not one the probe knows (" + known + ")");
        }
        w.column = static_cast<int>(it - names.begin());
        wishes.push_back(w);
    }
    if (wishes.empty()) throw Error("no attribute asked for (e.g. Smiling,-Male)");
    return wishes;
}

at::Tensor wish_scores(const at::Tensor& probabilities, const std::vector<AttributeWish>& wishes) {
    at::Tensor score = at::ones({probabilities.size(0)}, probabilities.options());
    for (const AttributeWish& w : wishes) {
        const at::Tensor p = probabilities.select(1, w.column);
        score = score * (w.present ? p : 1.0 - p);
    }
    return score;
}

std::vector<AttributePick> pick_by_attributes(GeneratorSnapshot& g, const AttributeProbe& probe,
                                              const std::vector<AttributeWish>& wishes, int count,
                                              std::uint64_t first_seed, int batches, int batch_size,
                                              const ViewOptions& options) {
    if (count < 1 || batches < 1 || batch_size < 1)
        throw Error("picking needs a count, batches and a batch size of at least 1");
    std::vector<AttributePick> all;
    for (int b = 0; b < batches; ++b) {
        const std::uint64_t seed = first_seed + static_cast<std::uint64_t>(b);
        const at::Tensor images = draw_values(g, view_batch(g, seed, batch_size, options), options);
        const at::Tensor scores = wish_scores(attribute_probabilities(probe, images), wishes).to(at::kDouble);
        const double* s = scores.data_ptr<double>();
        for (int i = 0; i < batch_size; ++i) all.push_back({LatentRef{seed, i}, s[i]});
    }
    // Stable: equal scores keep the order they were drawn in.
    std::stable_sort(all.begin(), all.end(),
                     [](const AttributePick& x, const AttributePick& y) { return x.score > y.score; });
    all.resize(std::min<std::size_t>(all.size(), static_cast<std::size_t>(count)));
    return all;
}

} // namespace latentlab
