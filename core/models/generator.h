// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>

#include "models/model_config.h"

namespace latentlab {

// DCGAN generator: z [N, nz] or [N, nz, 1, 1] -> image [N, C, S, S] in [-1, 1].
// A 4x4 transposed convolution from z, then stride-2 transposed convolutions
// with batch norm and ReLU that halve the width while doubling the size, and
// a last transposed convolution to the image channels with Tanh.
class GeneratorImpl : public torch::nn::Module {
public:
    explicit GeneratorImpl(const ModelConfig& config);
    torch::Tensor forward(torch::Tensor z);
    const ModelConfig& config() const { return config_; }

private:
    ModelConfig config_;
    torch::nn::Sequential main_{nullptr};
};
TORCH_MODULE(Generator);

// An independent copy of `source` on `device`: the same structure, parameters
// and batch-norm buffers, in evaluation mode. Training `source` afterwards
// never changes it.
Generator clone_generator(const Generator& source, c10::Device device);

} // namespace latentlab
