// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "data/decoded_images.h"
#include "train/training_observer.h"

namespace latentlab {

// Writes a run folder as training goes:
//   config.json          the run's settings (rewritten at every start)
//   metrics.jsonl/.csv   one line per logged iteration (every log_every, the
//                        last of each epoch and every non-finite one); a resume drops the lines
//                        logged after the checkpoint it resumes from
//   epochs.jsonl         one line per finished epoch
//   crossval.jsonl       one line per cross-validation of the pairs (each epoch end, or when asked)
//   samples/             fixed-noise grids: epoch_003.png at each epoch end,
//                        iter_000200.png every sample_every iterations
//   skipped_files.txt    inputs the data source passed over, with reasons
//   checkpoints/         written by the engine
//   .lock                locked by the process that trains in the folder (RunLock)
class RunFolder : public TrainingObserver {
public:
    // Creates the folder. Throws latentlab::Error naming it when that fails.
    explicit RunFolder(std::string dir);

    void write_skipped(const std::vector<SkippedFile>& skipped) const;

    void on_start(const TrainingStart& start) override;
    void on_iteration(const IterationMetrics& m) override;
    void on_samples(const SampleGrid& grid) override;
    void on_epoch_end(const EpochSummary& summary) override;
    void on_cross_validation(const CrossValidation& cv) override;

    const std::string& dir() const { return dir_; }
    static std::string sample_name(const SampleGrid& grid);

private:
    void open_logs(bool resumed, std::int64_t start_iteration);

    std::string dir_;
    int log_every_ = 1;
    std::int64_t batches_per_epoch_ = 0;
    std::ofstream jsonl_, csv_, epochs_, crossval_;
};

} // namespace latentlab
