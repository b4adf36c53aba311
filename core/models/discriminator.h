// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>

#include "models/model_config.h"

namespace latentlab {

// DCGAN discriminator: image [N, C, S, S] -> one logit per image [N].
// Stride-2 convolutions with LeakyReLU(0.2), batch norm on every block but the
// first, and a last 4x4 convolution to a single logit (no Sigmoid: the loss is
// computed from logits).
class DiscriminatorImpl : public torch::nn::Module {
public:
    explicit DiscriminatorImpl(const ModelConfig& config);
    torch::Tensor forward(torch::Tensor images);
    const ModelConfig& config() const { return config_; }

private:
    ModelConfig config_;
    torch::nn::Sequential main_{nullptr};
};
TORCH_MODULE(Discriminator);

} // namespace latentlab
