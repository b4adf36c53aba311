// SPDX-License-Identifier: GPL-3.0-or-later
#include "checkpoint/generator_export.h"

#include "checkpoint/checkpoint_file.h"
#include "checkpoint/safetensors.h"

namespace latentlab {

std::string generator_safetensors(const GeneratorSnapshot& s) {
    // The module's own names are PyTorch's: its layers sit in a Sequential
    // registered as "main", in the reference generator's order.
    const NamedTensors tensors = module_state(*s.generator);
    const TensorMetadata metadata{
        {"format", "pt"},  // what Hugging Face tools expect of a PyTorch state dict
        {"architecture", "dcgan-generator"},
        {"image_size", std::to_string(s.model.image_size)},
        {"channels", std::to_string(s.model.channels)},
        {"nz", std::to_string(s.model.nz)},
        {"ngf", std::to_string(s.model.ngf)},
        {"averaged", s.averaged ? "true" : "false"},
        {"source", s.path},
    };
    return encode_safetensors(tensors, metadata);
}

} // namespace latentlab
