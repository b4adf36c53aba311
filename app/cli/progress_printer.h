// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <cstdio>

#include "train/training_observer.h"

namespace latentlab::cli {

// The console view of a run: on a terminal one progress line that rewrites
// itself; otherwise plain lines every log_every iterations.
class ProgressPrinter : public TrainingObserver {
public:
    explicit ProgressPrinter(std::FILE* out);

    void on_start(const TrainingStart& start) override;
    void on_iteration(const IterationMetrics& m) override;
    void on_epoch_end(const EpochSummary& s) override;
    void on_checkpoint(const std::string& path, bool healthy) override;
    void on_cross_validation(const CrossValidation& cv) override;
    void on_end(const TrainingEnd& end) override;
    void on_notice(const std::string& text) override;

private:
    void end_line();

    std::FILE* out_;
    bool terminal_;
    bool line_open_ = false;
    int log_every_ = 10;
    std::int64_t epochs_ = 0, batches_ = 0, total_ = 0, batch_size_ = 0;
};

} // namespace latentlab::cli
