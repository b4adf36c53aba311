// SPDX-License-Identifier: GPL-3.0-or-later
#include "checkpoint/generator_snapshot.h"

#include "checkpoint/checkpoint_file.h"
#include "common/error.h"
#include "train/train_config.h"

namespace latentlab {

GeneratorSnapshot load_generator(const std::string& checkpoint_path, c10::Device device) {
    CheckpointReader reader(checkpoint_path);
    GeneratorSnapshot s;
    s.path = checkpoint_path;
    s.meta = reader.meta();
    s.device = device;
    if (!s.meta.contains("config")) throw Error(checkpoint_path + ": the checkpoint's metadata has no config");
    try {
        s.model = train_config_from_json(s.meta.at("config")).model;
        s.model.validate();
    } catch (const Error& e) {
        throw Error(checkpoint_path + ": the checkpoint's model settings are invalid (" + e.what() + ")");
    }
    s.generator = Generator(s.model);
    reader.load_module("generator", *s.generator);
    s.generator->to(device);
    s.generator->eval();
    return s;
}

} // namespace latentlab
