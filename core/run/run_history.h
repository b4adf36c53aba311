// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "train/cross_validation.h"
#include "train/metrics.h"

namespace latentlab {

// What a run folder holds, read back for display: its settings, the logged
// iterations, the per-epoch sample grids and the checkpoints.
struct RunHistory {
    std::string dir;
    nlohmann::json config;                     // config.json
    std::vector<IterationMetrics> metrics;     // metrics.jsonl, in order
    std::vector<CrossValidation> cross_validations;  // crossval.jsonl, in order
    std::vector<std::string> epoch_samples;    // samples/epoch_NNN.png, oldest first
    std::vector<std::string> checkpoints;      // checkpoints/*.llck except latest, oldest first
    std::string latest_checkpoint;             // empty when there is none
};

// Throws latentlab::Error naming the folder when it is not a run folder (no
// config.json) or config.json is unreadable. Lines of metrics.jsonl and crossval.jsonl that do
// not parse (e.g. cut short by a crash) are passed over.
RunHistory read_run_history(const std::string& dir);

} // namespace latentlab
