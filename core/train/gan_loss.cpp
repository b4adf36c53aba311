// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/gan_loss.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/binary_cross_entropy_with_logits.h>
#include <ATen/ops/full_like.h>
#include <ATen/ops/ones_like.h>
#include <ATen/ops/relu.h>
#include <ATen/ops/zeros_like.h>

namespace latentlab {

at::Tensor GanObjective::d_real(const at::Tensor& logits) const {
    if (loss_ == GanLoss::Hinge) return at::relu(1.0 - logits).mean();
    return at::binary_cross_entropy_with_logits(logits, at::full_like(logits, real_label_));
}

at::Tensor GanObjective::d_fake(const at::Tensor& logits) const {
    if (loss_ == GanLoss::Hinge) return at::relu(1.0 + logits).mean();
    return at::binary_cross_entropy_with_logits(logits, at::zeros_like(logits));
}

at::Tensor GanObjective::g(const at::Tensor& logits) const {
    if (loss_ == GanLoss::Hinge) return -logits.mean();
    return at::binary_cross_entropy_with_logits(logits, at::ones_like(logits));
}

} // namespace latentlab
