// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>

#include "imaging/image.h"
#include "train/cross_validation.h"
#include "train/metrics.h"
#include "train/train_config.h"

namespace latentlab {

struct TrainingStart {
    TrainConfig config;            // channels resolved
    std::string device;            // described, e.g. "cpu (2 threads)"
    bool batches_on_device = false;  // DeviceBatches (config.data_placement) rather than host threads
    std::int64_t images = 0;       // usable images in the data
    std::int64_t batches_per_epoch = 0;
    std::int64_t start_epoch = 0, start_batch = 0, start_iteration = 0;
    bool resumed = false;
    std::int64_t total_iterations() const { return batches_per_epoch * config.epochs; }
};

// A grid of the run's fixed noise batch, as the generator draws it now.
struct SampleGrid {
    std::int64_t epoch = 0;        // 0-based epoch the grid belongs to
    std::int64_t iteration = 0;    // iterations done when it was drawn
    bool epoch_end = false;        // drawn at the end of `epoch`
    bool live = false;             // drawn for a live view only (live_sample_seconds), not saved
    Image grid;                    // owned pixels, safe to hand to another thread
    double diversity = 0;          // sample_diversity() of the tiles: near 0 means mode collapse
};

enum class EndReason { Finished, Stopped, NonFinite, Failed };
std::string to_string(EndReason reason);

struct TrainingEnd {
    EndReason reason = EndReason::Finished;
    std::string message;           // for Failed and NonFinite
    std::int64_t epoch = 0, iteration = 0;
    std::string last_checkpoint;   // the newest file written, if any
};

// Hooks in the spirit of torchnet's engine. All calls come from the thread
// that runs Engine::run(), between iterations; an observer that hands data to
// another thread must copy it (everything here is passed by value or owned).
class TrainingObserver {
public:
    virtual ~TrainingObserver() = default;
    virtual void on_start(const TrainingStart&) {}
    virtual void on_iteration(const IterationMetrics&) {}
    virtual void on_samples(const SampleGrid&) {}
    virtual void on_epoch_end(const EpochSummary&) {}
    virtual void on_checkpoint(const std::string& /*path*/, bool /*healthy*/) {}
    // At every epoch end and when asked for (EngineControl::request_cross_validation).
    virtual void on_cross_validation(const CrossValidation&) {}
    virtual void on_end(const TrainingEnd&) {}
    // Something the user should know that changes how the run goes on, said
    // once (e.g. CUDA graphs given up, with the reason).
    virtual void on_notice(const std::string& /*text*/) {}
};

} // namespace latentlab
