// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/discriminator.h"

#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>

namespace latentlab {
namespace {
constexpr int64_t kKernel = 4;
constexpr double kLeakySlope = 0.2;
}

DiscriminatorImpl::DiscriminatorImpl(const ModelConfig& config) : config_(config) {
    config_.validate();
    namespace nn = torch::nn;
    const int blocks = config_.upsampling_blocks();
    const auto leaky = [] { return nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(kLeakySlope).inplace(true)); };

    main_ = nn::Sequential();
    int64_t width = config_.ndf;
    main_->push_back(nn::Conv2d(nn::Conv2dOptions(config_.channels, width, kKernel).stride(2).padding(1).bias(false)));
    main_->push_back(leaky());
    for (int b = 1; b < blocks; ++b) {
        main_->push_back(nn::Conv2d(nn::Conv2dOptions(width, width * 2, kKernel).stride(2).padding(1).bias(false)));
        main_->push_back(nn::BatchNorm2d(width * 2));
        main_->push_back(leaky());
        width *= 2;
    }
    main_->push_back(nn::Conv2d(nn::Conv2dOptions(width, 1, kKernel).stride(1).padding(0).bias(false)));
    register_module("main", main_);
}

torch::Tensor DiscriminatorImpl::forward(torch::Tensor images) {
    return main_->forward(images).view({-1});
}

} // namespace latentlab
