// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "train/training_observer.h"

namespace latentlab {

class TfRecordWriter;

// True when this build can write TensorBoard event files (CMake found
// protobuf and compiled tensorboard_log.cpp).
constexpr bool tensorboard_available() {
#ifdef LATENTLAB_HAVE_TENSORBOARD
    return true;
#else
    return false;
#endif
}

// Writes a run's TensorBoard event file, RUN/tensorboard/events.out.tfevents.
// TIME.HOST.PID: the scalars of metrics.jsonl under "train/KEY" (the same
// iterations: every log_every, the last of each epoch, every non-finite one),
// the learning rates, each epoch's averages under "epoch/KEY" (at the epoch's
// last iteration, the step of every record being the iteration), and every saved
// sample grid as the image "samples". Each start writes a new file; a resumed
// run also writes TensorBoard's "session started" mark at its start
// iteration, so `tensorboard --logdir RUN` drops the points a crashed run
// logged after its last checkpoint. Records are flushed as they are written.
class TensorboardLog : public TrainingObserver {
public:
    // Creates RUN/tensorboard. Throws latentlab::Error naming the folder.
    explicit TensorboardLog(std::string run_dir);
    ~TensorboardLog() override;

    void on_start(const TrainingStart& start) override;
    void on_iteration(const IterationMetrics& m) override;
    void on_samples(const SampleGrid& grid) override;
    void on_epoch_end(const EpochSummary& summary) override;

private:
    std::string dir_;
    std::unique_ptr<TfRecordWriter> writer_;
    int log_every_ = 1;
    std::int64_t batches_per_epoch_ = 0;
    std::int64_t last_iteration_ = 0;
};

} // namespace latentlab
