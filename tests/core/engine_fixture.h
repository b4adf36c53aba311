// SPDX-License-Identifier: GPL-3.0-or-later
// Tiny training runs for the engine tests: 32 px, narrow models, synthetic faces.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "data/data_source.h"
#include "train/engine.h"

namespace latentlab::testing {

inline TrainConfig tiny_config(const std::string& run_dir, int epochs = 1) {
    TrainConfig c;
    c.run_dir = run_dir;
    c.model.image_size = 32;
    c.model.nz = 16;
    c.model.ngf = 8;
    c.model.ndf = 8;
    c.batch_size = 16;
    c.epochs = epochs;
    c.seed = 7;
    c.device = "cpu";
    c.workers = 2;
    c.sample_every = 0;
    c.sample_count = 16;
    return c;
}

inline std::shared_ptr<const DecodedImages> tiny_faces(std::size_t count = 128, std::uint64_t seed = 7) {
    DecodeOptions o;
    o.size = 32;
    return std::make_shared<DecodedImages>(load_data(parse_data_spec("synthetic:" + std::to_string(count)), o, seed));
}

// Records what the engine reports; may stop it at a given iteration.
class Recorder : public TrainingObserver {
public:
    std::int64_t stop_at = -1;
    EngineControl* control = nullptr;
    std::atomic<std::int64_t> iterations{0};
    std::atomic<int> samples{0}, checkpoints{0}, epochs{0};

    void on_iteration(const IterationMetrics& m) override {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            metrics_.push_back(m);
        }
        iterations = m.iteration;
        if (control && m.iteration == stop_at) control->stop();
    }
    void on_samples(const SampleGrid&) override { ++samples; }
    void on_checkpoint(const std::string&, bool) override { ++checkpoints; }
    void on_epoch_end(const EpochSummary&) override { ++epochs; }
    void on_notice(const std::string& text) override {
        std::lock_guard<std::mutex> lock(mutex_);
        notices_.push_back(text);
    }
    std::vector<std::string> notices() {
        std::lock_guard<std::mutex> lock(mutex_);
        return notices_;
    }
    std::vector<IterationMetrics> metrics() {
        std::lock_guard<std::mutex> lock(mutex_);
        return metrics_;
    }

private:
    std::mutex mutex_;
    std::vector<IterationMetrics> metrics_;
    std::vector<std::string> notices_;
};

// Runs `engine` with `rec` (which must outlive it) as an observer until
// iteration `stop_at` has been reported, then stops it (the stop writes a
// checkpoint); returns how the run ended.
inline EndReason run_until(Engine& engine, Recorder& rec, std::int64_t stop_at) {
    rec.control = &engine.control();
    rec.stop_at = stop_at;
    engine.add_observer(&rec);
    return engine.run().reason;
}

} // namespace latentlab::testing
