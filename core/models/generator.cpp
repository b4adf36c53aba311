// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/generator.h"

#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>

namespace latentlab {
namespace {
constexpr int64_t kKernel = 4;  // every DCGAN convolution is 4x4
}

GeneratorImpl::GeneratorImpl(const ModelConfig& config) : config_(config) {
    config_.validate();
    namespace nn = torch::nn;
    const int blocks = config_.upsampling_blocks();
    int64_t width = config_.ngf << (blocks - 1);  // widest at the 4x4 seed

    main_ = nn::Sequential();
    main_->push_back(nn::ConvTranspose2d(nn::ConvTranspose2dOptions(config_.nz, width, kKernel).stride(1).padding(0).bias(false)));
    main_->push_back(nn::BatchNorm2d(width));
    main_->push_back(nn::ReLU(nn::ReLUOptions(true)));
    for (int b = 1; b < blocks; ++b) {
        main_->push_back(nn::ConvTranspose2d(nn::ConvTranspose2dOptions(width, width / 2, kKernel).stride(2).padding(1).bias(false)));
        main_->push_back(nn::BatchNorm2d(width / 2));
        main_->push_back(nn::ReLU(nn::ReLUOptions(true)));
        width /= 2;
    }
    main_->push_back(nn::ConvTranspose2d(nn::ConvTranspose2dOptions(width, config_.channels, kKernel).stride(2).padding(1).bias(false)));
    main_->push_back(nn::Tanh());
    register_module("main", main_);
}

torch::Tensor GeneratorImpl::forward(torch::Tensor z) {
    if (z.dim() == 2) z = z.view({z.size(0), z.size(1), 1, 1});
    return main_->forward(z);
}

Generator clone_generator(const Generator& source, c10::Device device) {
    Generator copy(source->config());
    copy->to(device);
    torch::NoGradGuard no_grad;
    const auto params = copy->named_parameters(), buffers = copy->named_buffers();
    for (const auto& p : source->named_parameters()) params[p.key()].copy_(p.value());
    for (const auto& b : source->named_buffers()) buffers[b.key()].copy_(b.value());
    copy->eval();
    return copy;
}

} // namespace latentlab
