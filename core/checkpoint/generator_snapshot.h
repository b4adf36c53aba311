// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

#include <c10/core/Device.h>
#include <nlohmann/json.hpp>

#include "models/generator.h"

namespace latentlab {

// A generator restored from a checkpoint, for sampling and exploring. It owns
// its weights: training that goes on elsewhere never changes it.
struct GeneratorSnapshot {
    Generator generator{nullptr};
    ModelConfig model;
    nlohmann::json meta;   // the checkpoint's metadata (config, epoch, iteration, ...)
    std::string path;
    c10::Device device{c10::kCPU};
};

// Throws latentlab::Error with a one-line message naming the file and the reason.
GeneratorSnapshot load_generator(const std::string& checkpoint_path, c10::Device device);

} // namespace latentlab
