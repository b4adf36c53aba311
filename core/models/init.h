// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <torch/nn/module.h>

namespace latentlab {

// DCGAN initialisation: convolution weights ~ N(0, 0.02), batch-norm weight
// ~ N(1, 0.02) and bias 0. Draws from LibTorch's default CPU generator.
void init_dcgan_weights(torch::nn::Module& module);

} // namespace latentlab
