// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/resume_config.h"

#include <sstream>

#include "checkpoint/checkpoint_file.h"
#include "common/error.h"

namespace latentlab {
namespace {

template <typename T> std::string text(const T& value) {
    std::ostringstream out;
    out << value;
    return out.str();
}
std::string text(bool value) { return value ? "on" : "off"; }

std::string describe(const ModelConfig& m) {
    return std::to_string(m.image_size) + " px, " + std::to_string(m.channels) + " channel(s), nz " +
           std::to_string(m.nz) + ", ngf " + std::to_string(m.ngf) + ", ndf " + std::to_string(m.ndf) + ", D " +
           to_string(m.d_norm);
}

std::string describe(const TrainConfig& c) {
    const Recipe& r = c.recipe;
    return c.recipe_name + " (EMA " + text(r.ema) + ", half-life " + text(r.ema_halflife) + ", ramp-up " +
           text(r.ema_rampup) + ", instance noise " + text(r.instance_noise) +
           ", noise target " + text(r.noise_target) + ", augment target " + text(r.augment_target) + ", R1 " + text(r.r1_gamma) +
           " every " + std::to_string(r.r1_every) + ", loss " +
           to_string(r.loss) +
           ", D lr x " + text(r.d_lr_scale) + ", real label " + text(r.real_label) + ", augment " +
           (r.augment.empty() ? "none" : r.augment) + ")";
}

} // namespace

TrainConfig read_resume_config(const std::string& checkpoint) {
    CheckpointReader reader(checkpoint);
    if (!reader.meta().contains("config")) throw Error(checkpoint + ": the checkpoint's metadata has no config");
    reader.require_training_state();
    TrainConfig saved = train_config_from_json(reader.meta().at("config"));
    try {
        saved.model.validate();
    } catch (const Error& e) {
        throw Error(checkpoint + ": " + e.what());
    }
    reader.require_weights(saved.model.parameter_count(), "model");  // before the engine builds it
    return saved;
}

TrainConfig resume_config(const TrainConfig& saved, const TrainConfig& wanted, std::vector<ResumeConflict>* conflicts) {
    TrainConfig out = saved;
    out.epochs = wanted.epochs;
    out.device = wanted.device;
    out.workers = wanted.workers;
    out.threads = wanted.threads;
    out.cuda_graphs = wanted.cuda_graphs;
    out.sample_every = wanted.sample_every;
    out.log_every = wanted.log_every;
    out.live_sample_seconds = wanted.live_sample_seconds;
    out.pause_on_nonfinite = wanted.pause_on_nonfinite;
    out.tensorboard = wanted.tensorboard;
    out.run_dir = wanted.run_dir;
    if (!conflicts) return out;
    conflicts->clear();
    const auto differ = [&](const char* setting, const std::string& a, const std::string& b) {
        if (a != b) conflicts->push_back({setting, a, b});
    };
    const TrainConfig& s = saved;
    const TrainConfig& w = wanted;
    differ("data", s.data, w.data);
    // Channels chosen automatically are resolved from the data; compare them only when both were chosen.
    ModelConfig wanted_model = w.model;
    if (w.channels_auto || s.channels_auto) wanted_model.channels = s.model.channels;
    differ("model", describe(s.model), describe(wanted_model));
    differ("batch size", text(s.batch_size), text(w.batch_size));
    differ("learning rate", text(s.lr), text(w.lr));
    differ("Adam beta1", text(s.beta1), text(w.beta1));
    differ("Adam beta2", text(s.beta2), text(w.beta2));
    differ("seed", text(s.seed), text(w.seed));
    differ("flips", text(s.flip), text(w.flip));
    differ("random crops", text(s.random_crop), text(w.random_crop));
    differ("pairs", text(s.pairs), text(w.pairs));
    differ("fixed-noise grid size", text(s.sample_count), text(w.sample_count));
    differ("recipe", describe(s), describe(w));
    return out;
}

} // namespace latentlab
