// SPDX-License-Identifier: GPL-3.0-or-later
#include "latent/interpolation.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <ATen/TensorOperators.h>
#include <ATen/ops/stack.h>
#include <ATen/ops/zeros_like.h>

#include "common/error.h"

namespace latentlab {
namespace {

// |cos| above this counts as (anti-)parallel: sin(omega) is too small to divide by.
constexpr double kParallelCos = 1.0 - 1e-6;

// A unit vector perpendicular to `unit`, fixed for a given input: the
// coordinate axis least aligned with it, with its `unit` component removed.
at::Tensor perpendicular(const at::Tensor& unit) {
    const auto axis = unit.abs().argmin().item<int64_t>();
    at::Tensor e = at::zeros_like(unit);
    e[axis] = 1.0;
    at::Tensor p = e - (e * unit).sum() * unit;
    return p / p.norm();
}

} // namespace

InterpolationMode parse_interpolation_mode(const std::string& text) {
    if (text == "lerp") return InterpolationMode::Lerp;
    if (text == "slerp") return InterpolationMode::Slerp;
    throw Error("interpolation mode '" + text + "' is not known (use slerp or lerp)");
}

std::string to_string(InterpolationMode mode) { return mode == InterpolationMode::Lerp ? "lerp" : "slerp"; }

at::Tensor lerp(const at::Tensor& a, const at::Tensor& b, double t) { return a * (1.0 - t) + b * t; }

at::Tensor slerp(const at::Tensor& a, const at::Tensor& b, double t) {
    const double na = a.norm().item<double>(), nb = b.norm().item<double>();
    if (na == 0.0 || nb == 0.0) return lerp(a, b, t);
    const at::Tensor ua = a / na, ub = b / nb;
    const double cos_omega = std::clamp((ua * ub).sum().item<double>(), -1.0, 1.0);
    const double norm = (1.0 - t) * na + t * nb;
    if (cos_omega > kParallelCos) return lerp(a, b, t);
    if (cos_omega < -kParallelCos) {
        const double angle = M_PI * t;
        return (ua * std::cos(angle) + perpendicular(ua) * std::sin(angle)) * norm;
    }
    const double omega = std::acos(cos_omega), s = std::sin(omega);
    const at::Tensor direction = ua * (std::sin((1.0 - t) * omega) / s) + ub * (std::sin(t * omega) / s);
    return direction * norm;
}

at::Tensor interpolate(const at::Tensor& a, const at::Tensor& b, double t, InterpolationMode mode) {
    return mode == InterpolationMode::Lerp ? lerp(a, b, t) : slerp(a, b, t);
}

at::Tensor path_point(const at::Tensor& keyframes, double position, InterpolationMode mode) {
    if (keyframes.dim() != 2 || keyframes.size(0) < 2)
        throw Error("an interpolation needs at least two keyframes");
    const double last = static_cast<double>(keyframes.size(0) - 1);
    position = std::clamp(position, 0.0, last);
    const auto segment = std::min(static_cast<int64_t>(position), keyframes.size(0) - 2);
    return interpolate(keyframes[segment], keyframes[segment + 1], position - static_cast<double>(segment), mode);
}

at::Tensor interpolation_path(const at::Tensor& keyframes, int frames, InterpolationMode mode) {
    if (frames < 2) throw Error("an interpolation needs at least 2 frames, got " + std::to_string(frames));
    const double last = static_cast<double>(keyframes.size(0) - 1);
    std::vector<at::Tensor> points;
    for (int i = 0; i < frames; ++i) points.push_back(path_point(keyframes, last * i / (frames - 1), mode));
    return at::stack(points);
}

} // namespace latentlab
