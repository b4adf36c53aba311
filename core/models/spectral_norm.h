// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/options/conv.h>

namespace latentlab {

// A 2-D convolution whose weight is divided by an estimate of its largest
// singular value (spectral normalisation, Miyato et al. 2018), so the layer
// is about 1-Lipschitz. The estimate comes from one power iteration per
// forward pass in training mode; evaluation mode reuses the last one.
//
// Parameters: weight_orig (the unnormalised weight) and, with options.bias,
// bias. Buffers: u and v, the power iteration's singular vector estimates.
class SpectralNormConv2dImpl : public torch::nn::Module {
public:
    explicit SpectralNormConv2dImpl(const torch::nn::Conv2dOptions& options);
    torch::Tensor forward(const torch::Tensor& input);
    // weight_orig / sigma as the next forward pass in evaluation mode would use it.
    torch::Tensor normalized_weight() const;

private:
    torch::Tensor sigma(const torch::Tensor& matrix, const torch::Tensor& u, const torch::Tensor& v) const;

    torch::nn::Conv2dOptions options_;
    torch::Tensor weight_orig_, bias_, u_, v_;
};
TORCH_MODULE(SpectralNormConv2d);

} // namespace latentlab
