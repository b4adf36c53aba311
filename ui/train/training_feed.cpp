// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/training_feed.h"

#include "widgets/image_convert.h"

namespace latentlab::trainer {

FeedBatch TrainingFeed::drain() {
    std::lock_guard<std::mutex> lock(mutex_);
    FeedBatch out = std::move(pending_);
    pending_ = FeedBatch{};
    return out;
}

void TrainingFeed::reportError(const std::string& message) {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_.error = message;
}

void TrainingFeed::on_start(const TrainingStart& start) {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_.start = start;
}

void TrainingFeed::on_iteration(const IterationMetrics& m) {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_.metrics.push_back(m);
}

void TrainingFeed::on_samples(const SampleGrid& grid) {
    SampleFrame frame{ui::to_qimage(grid.grid), grid.epoch, grid.iteration, grid.epoch_end, grid.diversity};
    std::lock_guard<std::mutex> lock(mutex_);
    pending_.samples.push_back(std::move(frame));
}

void TrainingFeed::on_epoch_end(const EpochSummary& summary) {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_.epochs.push_back(summary);
}

void TrainingFeed::on_cross_validation(const CrossValidation& cv) {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_.cross_validations.push_back(cv);
}

void TrainingFeed::on_checkpoint(const std::string& path, bool healthy) {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_.checkpoints.emplace_back(path, healthy);
}

void TrainingFeed::on_end(const TrainingEnd& end) {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_.end = end;
}

} // namespace latentlab::trainer
