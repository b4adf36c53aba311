// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/cross_validation.h"

#include <nlohmann/json.hpp>
#include <torch/utils.h>

#include "common/error.h"
#include "models/discriminator.h"
#include "models/generate.h"
#include "models/generator.h"

namespace latentlab {

CrossValidation cross_validate_pairs(const std::vector<Generator>& generators,
                               const std::vector<Discriminator>& discriminators, const at::Tensor& latents,
                               c10::Device device) {
    if (generators.empty() || generators.size() != discriminators.size())
        throw Error("cross-validation needs as many discriminators as generators");
    torch::NoGradGuard no_grad;
    const std::size_t k = generators.size();
    CrossValidation cv;
    cv.fooled.assign(k, std::vector<double>(k, 0.0));
    std::vector<at::Tensor> samples;
    for (auto g : generators) samples.push_back(generate(g, latents, device, NormStatistics::Batch).to(device));
    for (std::size_t j = 0; j < k; ++j) {
        Discriminator d = discriminators[j];
        const bool was_training = d->is_training();
        d->eval();
        for (std::size_t i = 0; i < k; ++i)
            cv.fooled[i][j] = (d->forward(samples[i]) > 0).to(at::kFloat).mean().item<double>();
        d->train(was_training);
    }
    cv.scores.assign(k, 0.0);
    for (std::size_t i = 0; i < k; ++i) {
        double sum = 0;
        for (std::size_t j = 0; j < k; ++j)
            if (j != i || k == 1) sum += cv.fooled[i][j];
        cv.scores[i] = sum / static_cast<double>(k == 1 ? 1 : k - 1);
        if (cv.scores[i] > cv.scores[static_cast<std::size_t>(cv.best)]) cv.best = static_cast<int>(i);
    }
    return cv;
}

nlohmann::json to_json(const CrossValidation& cv) {
    return nlohmann::json{{"epoch", cv.epoch}, {"iteration", cv.iteration}, {"fooled", cv.fooled},
                          {"scores", cv.scores}, {"best", cv.best}};
}

std::optional<CrossValidation> cross_validation_from_json(const nlohmann::json& j) {
    try {
        CrossValidation cv;
        cv.epoch = j.at("epoch").get<std::int64_t>();
        cv.iteration = j.at("iteration").get<std::int64_t>();
        cv.fooled = j.at("fooled").get<std::vector<std::vector<double>>>();
        cv.scores = j.at("scores").get<std::vector<double>>();
        cv.best = j.at("best").get<int>();
        const std::size_t k = cv.fooled.size();
        if (k == 0 || cv.scores.size() != k || cv.best < 0 || static_cast<std::size_t>(cv.best) >= k)
            return std::nullopt;
        for (const auto& row : cv.fooled)
            if (row.size() != k) return std::nullopt;
        return cv;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

} // namespace latentlab
