// SPDX-License-Identifier: GPL-3.0-or-later
#include "checkpoint/generator_snapshot.h"

#include "checkpoint/checkpoint_file.h"
#include "common/error.h"
#include "train/train_config.h"

namespace latentlab {

GeneratorSnapshot load_generator(const std::string& checkpoint_path, c10::Device device, GeneratorChoice choice) {
    CheckpointReader reader(checkpoint_path);
    GeneratorSnapshot s;
    s.path = checkpoint_path;
    s.meta = reader.meta();
    s.device = device;
    if (!s.meta.contains("config")) throw Error(checkpoint_path + ": the checkpoint's metadata has no config");
    bool has_average = false;
    try {
        const TrainConfig config = train_config_from_json(s.meta.at("config"));
        s.model = config.model;
        s.model.validate();
        has_average = config.recipe.ema;
    } catch (const Error& e) {
        throw Error(checkpoint_path + ": the checkpoint's model settings are invalid (" + e.what() + ")");
    }
    s.generator = Generator(s.model);
    s.averaged = has_average && choice == GeneratorChoice::Preferred;
    // Runs of several pairs keep the one the cross-validation judged best; its keys carry a prefix.
    int best = 0;
    if (choice == GeneratorChoice::Preferred && s.meta.contains("best_pair") && s.meta.at("best_pair").is_number_integer())
        best = s.meta.at("best_pair").get<int>();
    reader.load_module(pair_key_prefix(best) + (s.averaged ? "generator_ema" : "generator"), *s.generator);
    s.generator->to(device);
    s.generator->eval();
    return s;
}

} // namespace latentlab
