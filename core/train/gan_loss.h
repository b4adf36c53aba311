// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <ATen/core/Tensor.h>

#include "train/recipe.h"

namespace latentlab {

// The three terms of a GAN objective, from D's logits [B]. The D terms are
// computed (and back-propagated) separately, because the real and the fake
// batch go through D separately.
class GanObjective {
public:
    // `real_label` is the BCE target for real images (below 1: one-sided
    // smoothing); the hinge loss ignores it.
    GanObjective(GanLoss loss, double real_label) : loss_(loss), real_label_(real_label) {}

    at::Tensor d_real(const at::Tensor& logits) const;  // D should call these real
    at::Tensor d_fake(const at::Tensor& logits) const;  // D should call these fake
    at::Tensor g(const at::Tensor& logits) const;       // G wants D to call its fakes real

private:
    GanLoss loss_;
    double real_label_;
};

} // namespace latentlab
