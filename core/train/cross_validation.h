// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <nlohmann/json_fwd.hpp>

// Declared only: this header stays free of LibTorch so widgets can show the results.
namespace at { class Tensor; }
namespace c10 { struct Device; }

namespace latentlab {

class Generator;
class Discriminator;

// The lecture's way to judge generators without looking at them: train
// several G/D pairs and let every discriminator judge every generator.
// fooled[i][j] is the fraction of G_i's samples (a fixed latent batch) that
// D_j calls real. A generator that fools the discriminators it was not
// trained against is the better one.
struct CrossValidation {
    std::int64_t epoch = 0, iteration = 0;
    std::vector<std::vector<double>> fooled;  // [generator][discriminator]
    std::vector<double> scores;               // per generator: mean over the other pairs' D (its own D when alone)
    int best = 0;                             // the generator with the highest score (the lowest index on ties)
};

// Judges every generator by every discriminator on `latents` ([N, nz]).
// Generators draw with batch statistics, as in training; discriminators
// judge in evaluation mode. Models are left in the mode they were in.
CrossValidation cross_validate_pairs(const std::vector<Generator>& generators,
                               const std::vector<Discriminator>& discriminators, const at::Tensor& latents,
                               c10::Device device);

nlohmann::json to_json(const CrossValidation& cv);
// Nothing when `json` is not a well-formed cross-validation (a square
// matrix of fractions, one score per row, the best row in range).
std::optional<CrossValidation> cross_validation_from_json(const nlohmann::json& json);

} // namespace latentlab
