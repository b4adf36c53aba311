// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/discriminator.h"

#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>

#include "models/spectral_norm.h"

namespace latentlab {
namespace {
constexpr int64_t kKernel = 4;
constexpr double kLeakySlope = 0.2;
}

DiscriminatorImpl::DiscriminatorImpl(const ModelConfig& config) : config_(config) {
    config_.validate();
    namespace nn = torch::nn;
    const int blocks = config_.upsampling_blocks();
    const bool spectral = config_.d_norm == DiscriminatorNorm::Spectral;
    const auto leaky = [] { return nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(kLeakySlope).inplace(true)); };
    // Spectrally normalised layers have no batch norm after them to shift
    // their output, so they get a bias.
    const auto conv = [&](int64_t in, int64_t out, int64_t stride, int64_t padding) -> nn::AnyModule {
        const auto options = nn::Conv2dOptions(in, out, kKernel).stride(stride).padding(padding).bias(spectral);
        if (spectral) return nn::AnyModule(SpectralNormConv2d(options));
        return nn::AnyModule(nn::Conv2d(options));
    };

    main_ = nn::Sequential();
    int64_t width = config_.ndf;
    main_->push_back(conv(config_.channels, width, 2, 1));
    main_->push_back(leaky());
    feature_layers_.push_back(main_->size() - 1);
    for (int b = 1; b < blocks; ++b) {
        main_->push_back(conv(width, width * 2, 2, 1));
        if (!spectral) main_->push_back(nn::BatchNorm2d(width * 2));
        main_->push_back(leaky());
        feature_layers_.push_back(main_->size() - 1);
        width *= 2;
    }
    main_->push_back(conv(width, 1, 1, 0));
    register_module("main", main_);
}

torch::Tensor DiscriminatorImpl::forward(torch::Tensor images) {
    return main_->forward(images).view({-1});
}

std::vector<torch::Tensor> DiscriminatorImpl::features(torch::Tensor images) {
    std::vector<torch::Tensor> out;
    out.reserve(feature_layers_.size());
    torch::Tensor x = std::move(images);
    std::size_t layer = 0;
    for (auto it = main_->begin(); it != main_->end() && out.size() < feature_layers_.size(); ++it, ++layer) {
        x = it->forward(x);
        if (layer == feature_layers_[out.size()]) out.push_back(x);
    }
    return out;
}

} // namespace latentlab
