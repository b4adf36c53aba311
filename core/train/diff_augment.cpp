// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/diff_augment.h"

#include <sstream>

#include <ATen/TensorOperators.h>
#include <ATen/ops/abs.h>
#include <ATen/ops/arange.h>
#include <ATen/ops/constant_pad_nd.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/gather.h>
#include <ATen/ops/randint.h>
#include <ATen/ops/rand.h>

#include "common/error.h"
#include "train/draw_options.h"

namespace latentlab {
namespace {

constexpr int kTranslationDivisor = 8;  // shifts of up to size / 8 pixels
constexpr int kCutoutDivisor = 2;       // the cut square's side is size / 2

// Uniform [0, 1) per image, shaped to broadcast over [B, C, S, S].
at::Tensor per_image(std::int64_t batch, at::Generator& rng, const at::Tensor& like) {
    return at::rand({batch, 1, 1, 1}, rng, draw_options(rng, at::kFloat)).to(like.device());
}

at::Tensor color(const at::Tensor& x, at::Generator& rng) {
    const auto b = x.size(0);
    at::Tensor out = x + (per_image(b, rng, x) - 0.5);  // brightness, +-0.5 in [-1, 1] units is +-0.25 in [0, 1]
    if (x.size(1) == 3) {
        const at::Tensor grey = out.mean({1}, /*keepdim=*/true);
        out = (out - grey) * (per_image(b, rng, x) * 2.0) + grey;  // saturation x [0, 2)
    }
    const at::Tensor mean = out.mean({1, 2, 3}, /*keepdim=*/true);
    return (out - mean) * (per_image(b, rng, x) + 0.5) + mean;  // contrast x [0.5, 1.5)
}

// Shifts every image by its own (dy, dx), filling with zeros.
at::Tensor translation(const at::Tensor& x, at::Generator& rng) {
    const auto b = x.size(0), c = x.size(1), s = x.size(2);
    const std::int64_t shift = s / kTranslationDivisor;
    if (shift == 0) return x;
    const auto rng_long = draw_options(rng, at::kLong);
    const at::Tensor dy = at::randint(-shift, shift + 1, {b, 1}, rng, rng_long);
    const at::Tensor dx = at::randint(-shift, shift + 1, {b, 1}, rng, rng_long);
    const at::Tensor base = at::arange(s, rng_long).view({1, s}) + shift;
    // Row and column indices into the padded image, per image.
    const at::Tensor rows = (base - dy).to(x.device()).view({b, 1, s, 1}).expand({b, c, s, s + 2 * shift});
    const at::Tensor cols = (base - dx).to(x.device()).view({b, 1, 1, s}).expand({b, c, s, s});
    const at::Tensor padded = at::constant_pad_nd(x, {shift, shift, shift, shift}, 0.0);
    return padded.gather(2, rows).gather(3, cols);
}

at::Tensor cutout(const at::Tensor& x, at::Generator& rng) {
    const auto b = x.size(0), s = x.size(2);
    const std::int64_t half = s / kCutoutDivisor / 2;
    const auto rng_long = draw_options(rng, at::kLong);
    // Centres anywhere in the image, so the square may hang over an edge.
    const at::Tensor cy = at::randint(0, s, {b, 1, 1}, rng, rng_long);
    const at::Tensor cx = at::randint(0, s, {b, 1, 1}, rng, rng_long);
    const at::Tensor pos = at::arange(s, rng_long);
    const at::Tensor inside = (at::abs(pos.view({1, s, 1}) - cy) < half) & (at::abs(pos.view({1, 1, s}) - cx) < half);
    const at::Tensor keep = (~inside).to(at::kFloat).unsqueeze(1).to(x.device());
    return x * keep;
}

} // namespace

Augmentations parse_augmentations(const std::string& text) {
    Augmentations a;
    if (text.empty() || text == "none") return a;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        if (item == "color") a.color = true;
        else if (item == "translation") a.translation = true;
        else if (item == "cutout") a.cutout = true;
        else throw Error("augmentation '" + item + "' is not known (use color, translation or cutout)");
    }
    return a;
}

std::string to_string(const Augmentations& a) {
    std::string out;
    for (const auto& [on, name] : {std::pair{a.color, "color"}, {a.translation, "translation"}, {a.cutout, "cutout"}})
        if (on) out += (out.empty() ? "" : ",") + std::string(name);
    return out.empty() ? "none" : out;
}

at::Tensor augment(const at::Tensor& images, const Augmentations& a, at::Generator& rng) {
    at::Tensor x = images;
    if (a.color) x = color(x, rng);
    if (a.translation) x = translation(x, rng);
    if (a.cutout) x = cutout(x, rng);
    return x;
}

} // namespace latentlab
