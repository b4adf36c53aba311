// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <QImage>

#include "train/training_observer.h"

namespace latentlab::trainer {

// A sample grid as the GUI keeps it: an owned QImage.
struct SampleFrame {
    QImage image;
    std::int64_t epoch = 0, iteration = 0;
    bool epoch_end = false;
    double diversity = 0;
};

// Everything the engine reported since the GUI last looked.
struct FeedBatch {
    std::optional<TrainingStart> start;
    std::vector<IterationMetrics> metrics;
    std::vector<EpochSummary> epochs;
    std::vector<SampleFrame> samples;  // in order; epoch-end grids are flagged
    std::vector<std::pair<std::string, bool>> checkpoints;  // path, healthy
    std::vector<CrossValidation> cross_validations;
    std::optional<TrainingEnd> end;
    std::optional<std::string> error;  // the run could not start
    bool empty() const {
        return !start && metrics.empty() && epochs.empty() && samples.empty() && checkpoints.empty() &&
               cross_validations.empty() && !end && !error;
    }
};

// The engine's observer on the training thread. It only appends owned copies
// to a buffer under a short lock; the GUI drains the buffer on a timer, so the
// charts replot once per tick, not once per iteration.
class TrainingFeed : public TrainingObserver {
public:
    FeedBatch drain();
    void reportError(const std::string& message);

    void on_start(const TrainingStart& start) override;
    void on_iteration(const IterationMetrics& m) override;
    void on_samples(const SampleGrid& grid) override;
    void on_epoch_end(const EpochSummary& summary) override;
    void on_checkpoint(const std::string& path, bool healthy) override;
    void on_cross_validation(const CrossValidation& cv) override;
    void on_end(const TrainingEnd& end) override;

private:
    std::mutex mutex_;
    FeedBatch pending_;
};

} // namespace latentlab::trainer
