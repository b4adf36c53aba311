// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/spectral_norm.h"

#include <ATen/ops/conv2d.h>
#include <ATen/ops/dot.h>
#include <ATen/ops/mv.h>
#include <ATen/ops/randn.h>
#include <ATen/ops/zeros.h>
#include <torch/nn/functional/normalization.h>

namespace latentlab {
namespace {

constexpr double kNormEps = 1e-12;  // keeps the normalisation of a zero vector finite

at::Tensor unit(const at::Tensor& x) { return x / x.norm().clamp_min(kNormEps); }

} // namespace

SpectralNormConv2dImpl::SpectralNormConv2dImpl(const torch::nn::Conv2dOptions& options) : options_(options) {
    const auto k = options_.kernel_size();
    const std::int64_t out = options_.out_channels(), in = options_.in_channels() * k->at(0) * k->at(1);
    weight_orig_ = register_parameter("weight_orig", at::randn({out, options_.in_channels(), k->at(0), k->at(1)}));
    if (options_.bias()) bias_ = register_parameter("bias", at::zeros({out}));
    // Random starting vectors, drawn from the default generator like the weights.
    u_ = register_buffer("u", unit(at::randn({out})));
    v_ = register_buffer("v", unit(at::randn({in})));
}

at::Tensor SpectralNormConv2dImpl::sigma(const at::Tensor& matrix, const at::Tensor& u, const at::Tensor& v) const {
    return at::dot(u, at::mv(matrix, v));
}

torch::Tensor SpectralNormConv2dImpl::normalized_weight() const {
    torch::NoGradGuard no_grad;
    const at::Tensor matrix = weight_orig_.reshape({weight_orig_.size(0), -1});
    return weight_orig_ / sigma(matrix, u_, v_);
}

torch::Tensor SpectralNormConv2dImpl::forward(const torch::Tensor& input) {
    const at::Tensor matrix = weight_orig_.reshape({weight_orig_.size(0), -1});
    at::Tensor u = u_, v = v_;
    if (is_training()) {
        torch::NoGradGuard no_grad;
        v = unit(at::mv(matrix.t(), u_));
        u = unit(at::mv(matrix, v));
        u_.copy_(u);
        v_.copy_(v);
    }
    // Gradients flow through sigma into the weight, not into the estimates.
    const at::Tensor weight = weight_orig_ / sigma(matrix, u.detach().clone(), v.detach().clone());
    const auto stride = options_.stride(), padding = std::get<torch::ExpandingArray<2>>(options_.padding());
    return at::conv2d(input, weight, bias_, *stride, *padding);
}

} // namespace latentlab
