// SPDX-License-Identifier: GPL-3.0-or-later
#include "checkpoint/generator_snapshot.h"

#include "checkpoint/checkpoint_file.h"
#include "checkpoint/pth_import.h"
#include "common/error.h"
#include "train/train_config.h"

namespace latentlab {

namespace {

// The run's settings from a checkpoint's metadata; errors name the file.
TrainConfig checkpoint_config(const std::string& checkpoint_path, const nlohmann::json& meta) {
    if (!meta.contains("config")) throw Error(checkpoint_path + ": the checkpoint's metadata has no config");
    try {
        TrainConfig config = train_config_from_json(meta.at("config"));
        config.model.validate();
        return config;
    } catch (const Error& e) {
        throw Error(checkpoint_path + ": the checkpoint's model settings are invalid (" + e.what() + ")");
    }
}

// The pair that cross-validation judged best (0 for single-pair runs).
int best_pair(const nlohmann::json& meta) {
    if (meta.contains("best_pair") && meta.at("best_pair").is_number_integer()) return meta.at("best_pair").get<int>();
    return 0;
}

} // namespace

GeneratorSnapshot load_generator(const std::string& checkpoint_path, c10::Device device, GeneratorChoice choice) {
    if (is_pytorch_file(checkpoint_path)) return import_pytorch_generator(checkpoint_path, device);
    CheckpointReader reader(checkpoint_path);
    GeneratorSnapshot s;
    s.path = checkpoint_path;
    s.meta = reader.meta();
    s.device = device;
    const TrainConfig config = checkpoint_config(checkpoint_path, s.meta);
    s.model = config.model;
    reader.require_weights(s.model.generator_weights(), "generator");
    s.generator = Generator(s.model);
    s.averaged = config.recipe.ema && choice == GeneratorChoice::Preferred;
    // Runs of several pairs keep the one the cross-validation judged best; its keys carry a prefix.
    const int best = choice == GeneratorChoice::Preferred ? best_pair(s.meta) : 0;
    reader.load_module(pair_key_prefix(best) + (s.averaged ? "generator_ema" : "generator"), *s.generator);
    s.generator->to(device);
    s.generator->eval();
    return s;
}

Discriminator load_discriminator(const std::string& checkpoint_path, c10::Device device) {
    if (is_pytorch_file(checkpoint_path))
        throw Error(checkpoint_path + ": a PyTorch generator file holds no discriminator; make a checkpoint with "
                                      "latentlab-cli import --pth NETG --netd NETD --out FILE.llck and use that");
    CheckpointReader reader(checkpoint_path);
    const TrainConfig config = checkpoint_config(checkpoint_path, reader.meta());
    reader.require_weights(config.model.discriminator_weights(), "discriminator");
    Discriminator d(config.model);
    reader.load_module(pair_key_prefix(best_pair(reader.meta())) + "discriminator", *d);
    d->to(device);
    d->eval();
    for (at::Tensor& p : d->parameters()) p.set_requires_grad(false);
    return d;
}

} // namespace latentlab
