// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <vector>

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
    // The activations after each LeakyReLU, shallowest first ([N, ndf, S/2, S/2],
    // [N, 2 ndf, S/4, S/4], ...): what D sees of an image before its verdict.
    // Used as a perceptual distance (projection); the last layer is not run.
    std::vector<torch::Tensor> features(torch::Tensor images);
    const ModelConfig& config() const { return config_; }

private:
    ModelConfig config_;
    torch::nn::Sequential main_{nullptr};
    std::vector<std::size_t> feature_layers_;  // indices in main_ of the LeakyReLUs
};
TORCH_MODULE(Discriminator);

} // namespace latentlab
