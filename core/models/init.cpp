// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/init.h"

#include <torch/nn/init.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>

#include "models/spectral_norm.h"

namespace latentlab {
namespace {
constexpr double kInitStd = 0.02;
}

void init_dcgan_weights(torch::nn::Module& module) {
    torch::NoGradGuard no_grad;
    for (auto& m : module.modules(/*include_self=*/false)) {
        if (m->as<torch::nn::Conv2d>() || m->as<torch::nn::ConvTranspose2d>()) {
            torch::nn::init::normal_(m->named_parameters(false)["weight"], 0.0, kInitStd);
        } else if (m->as<SpectralNormConv2d>()) {
            auto params = m->named_parameters(false);
            torch::nn::init::normal_(params["weight_orig"], 0.0, kInitStd);
            if (params.contains("bias")) torch::nn::init::zeros_(params["bias"]);
        } else if (m->as<torch::nn::BatchNorm2d>()) {
            auto params = m->named_parameters(false);
            torch::nn::init::normal_(params["weight"], 1.0, kInitStd);
            torch::nn::init::zeros_(params["bias"]);
        }
    }
}

} // namespace latentlab
