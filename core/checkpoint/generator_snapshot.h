// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

#include <c10/core/Device.h>
#include <nlohmann/json.hpp>

#include "models/discriminator.h"
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
    bool averaged = false;  // the weights are the EMA of the trained generator's
};

// Which of a checkpoint's generators to open.
enum class GeneratorChoice {
    Preferred,  // the best pair's (see CrossValidation) EMA of G when the checkpoint keeps one, else its G
    Raw,        // the first pair's G as it was being trained
};

// A PyTorch DCGAN generator state_dict (.pth, see pth_import.h) opens too.
// Throws latentlab::Error with a one-line message naming the file and the reason.
GeneratorSnapshot load_generator(const std::string& checkpoint_path, c10::Device device,
                                 GeneratorChoice choice = GeneratorChoice::Preferred);

// The discriminator of the pair whose generator load_generator prefers (the
// best pair's), in evaluation mode on `device`, with no parameter requiring a
// gradient. Throws latentlab::Error naming the file and the reason.
Discriminator load_discriminator(const std::string& checkpoint_path, c10::Device device);

} // namespace latentlab
