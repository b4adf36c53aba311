// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <vector>

#include "train/train_config.h"

namespace latentlab {

// The config saved in a checkpoint, checked for a resume: the checkpoint holds
// the training state, the config is in range, and its weights fit the model
// the config describes (checked before anything is built). Throws
// latentlab::Error naming the file and the reason.
TrainConfig read_resume_config(const std::string& checkpoint);

// A setting a resume keeps as saved although another value was asked for.
struct ResumeConflict {
    std::string setting;  // e.g. "batch size"
    std::string saved, wanted;
};

// What a resumed run trains with: `saved`, with the settings that do not touch
// the training state taken from `wanted` (epochs, device, workers, threads,
// sample_every, log_every, live_sample_seconds, pause_on_nonfinite,
// tensorboard, run_dir). Every other setting stays as saved: a different data
// set, model, batch size, seed, flip, crop, learning rate or recipe would break
// exact resume. Those that differ in `wanted` are listed in `conflicts`. The
// CLI and the window both resume through this.
TrainConfig resume_config(const TrainConfig& saved, const TrainConfig& wanted, std::vector<ResumeConflict>* conflicts);

} // namespace latentlab
