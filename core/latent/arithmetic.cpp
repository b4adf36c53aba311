// SPDX-License-Identifier: GPL-3.0-or-later
#include "latent/arithmetic.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/mean.h>

#include "common/error.h"

namespace latentlab {

at::Tensor group_mean(const at::Tensor& group) {
    if (!group.defined() || group.dim() != 2 || group.size(0) < 1)
        throw Error("a latent group needs at least one vector");
    return group.mean(0);
}

at::Tensor latent_arithmetic(const at::Tensor& a, const at::Tensor& b, const at::Tensor& c) {
    if (a.dim() != 2 || b.dim() != 2 || c.dim() != 2 || a.size(1) != b.size(1) || a.size(1) != c.size(1))
        throw Error("latent groups A, B and C must hold vectors of the same length");
    return group_mean(a) - group_mean(b) + group_mean(c);
}

} // namespace latentlab
