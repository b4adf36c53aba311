// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "train/metrics.h"

namespace latentlab {

// Watches a run for the failures DCGAN users know: a non-finite loss, a
// discriminator that wins outright for a long stretch, and fixed-noise samples
// that collapse to one image. Each warning is raised once when its condition
// starts, and again only after the run has recovered from it.
struct HealthWarning {
    enum class Kind { NonFinite, DiscriminatorWins, ModeCollapse };
    Kind kind;
    std::int64_t iteration = 0;
    std::string message;  // what happened
    std::string advice;   // what to try
};

class HealthMonitor {
public:
    static constexpr double kDiscriminatorLossFloor = 0.05;  // Loss_D below this: D is winning
    static constexpr double kDiscriminatorAccuracy = 0.99;   // or D is right about nearly every image
    static constexpr std::int64_t kLongStretch = 200;        // iterations in a row
    static constexpr double kCollapseShare = 0.3;            // diversity below 30% of the best seen
    static constexpr std::int64_t kCollapseGrace = 200;      // iterations before collapse is judged

    std::optional<HealthWarning> add(const IterationMetrics& m);
    std::optional<HealthWarning> add_samples(double diversity, std::int64_t iteration);
    void reset();

private:
    std::int64_t winning_stretch_ = 0;
    bool winning_reported_ = false;
    bool nonfinite_reported_ = false;
    double best_diversity_ = 0;
    bool collapse_reported_ = false;
};

} // namespace latentlab
