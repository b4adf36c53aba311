// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <ATen/core/Tensor.h>

namespace latentlab {

// Mean of the rows of `group` ([k, nz] -> [nz]). Throws Error when empty.
at::Tensor group_mean(const at::Tensor& group);

// Vector arithmetic on latent groups ([k, nz] each, k >= 1):
// mean(A) - mean(B) + mean(C), a vector [nz].
at::Tensor latent_arithmetic(const at::Tensor& a, const at::Tensor& b, const at::Tensor& c);

} // namespace latentlab
