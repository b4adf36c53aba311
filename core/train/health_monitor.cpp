// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/health_monitor.h"

#include <algorithm>
#include <cstdio>

namespace latentlab {

void HealthMonitor::reset() { *this = HealthMonitor{}; }

std::optional<HealthWarning> HealthMonitor::add(const IterationMetrics& m) {
    if (!m.finite) {
        if (nonfinite_reported_) return std::nullopt;
        nonfinite_reported_ = true;
        return HealthWarning{HealthWarning::Kind::NonFinite, m.iteration,
                             "The loss became non-finite at iteration " + std::to_string(m.iteration) + ".",
                             "Roll back to the last healthy checkpoint and lower the learning rate (e.g. halve it)."};
    }
    const bool winning = m.loss_d < kDiscriminatorLossFloor ||
                         (m.accuracy_real >= kDiscriminatorAccuracy && m.accuracy_fake >= kDiscriminatorAccuracy);
    winning_stretch_ = winning ? winning_stretch_ + 1 : 0;
    if (!winning) winning_reported_ = false;
    if (winning_stretch_ >= kLongStretch && !winning_reported_) {
        winning_reported_ = true;
        char message[160];
        std::snprintf(message, sizeof message,
                      "The discriminator has won for %lld iterations (Loss_D %.3f, accuracy %.0f%% / %.0f%%): "
                      "the generator gets almost no gradient.",
                      static_cast<long long>(winning_stretch_), m.loss_d, 100 * m.accuracy_real, 100 * m.accuracy_fake);
        return HealthWarning{HealthWarning::Kind::DiscriminatorWins, m.iteration, message,
                             "Try a lower learning rate for a while, a narrower discriminator (ndf), more data or "
                             "random flips; if it persists, roll back to an earlier checkpoint."};
    }
    return std::nullopt;
}

std::optional<HealthWarning> HealthMonitor::add_samples(double diversity, std::int64_t iteration) {
    best_diversity_ = std::max(best_diversity_, diversity);
    const bool collapsed = iteration >= kCollapseGrace && diversity < kCollapseShare * best_diversity_;
    if (!collapsed) {
        collapse_reported_ = false;
        return std::nullopt;
    }
    if (collapse_reported_) return std::nullopt;
    collapse_reported_ = true;
    char message[160];
    std::snprintf(message, sizeof message,
                  "The fixed-noise samples are collapsing to one image (diversity %.3f, was up to %.3f).", diversity,
                  best_diversity_);
    return HealthWarning{HealthWarning::Kind::ModeCollapse, iteration, message,
                         "Roll back to a checkpoint from before the collapse and lower the learning rate or beta1; "
                         "more varied data also helps."};
}

} // namespace latentlab
