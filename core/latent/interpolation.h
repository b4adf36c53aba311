// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <ATen/core/Tensor.h>

#include "latent/interpolation_mode.h"

namespace latentlab {

// Straight line: (1 - t) a + t b.
at::Tensor lerp(const at::Tensor& a, const at::Tensor& b, double t);

// Spherical interpolation of two vectors [nz]. For endpoints of equal norm the
// norm stays constant along the path; otherwise the norm moves linearly from
// |a| to |b| while the direction turns on the great circle. Nearly parallel
// endpoints fall back to lerp; exactly opposite ones turn through a fixed
// perpendicular direction (the great circle is not unique there).
at::Tensor slerp(const at::Tensor& a, const at::Tensor& b, double t);

at::Tensor interpolate(const at::Tensor& a, const at::Tensor& b, double t, InterpolationMode mode);

// A point on the path through keyframes [K, nz] (K >= 2): position 0 is the
// first keyframe, K - 1 the last, fractions lie between neighbours.
at::Tensor path_point(const at::Tensor& keyframes, double position, InterpolationMode mode);

// `frames` evenly spaced points along that path, both ends included: [frames, nz].
at::Tensor interpolation_path(const at::Tensor& keyframes, int frames, InterpolationMode mode);

} // namespace latentlab
