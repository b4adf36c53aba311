// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>

namespace latentlab {

// Which differentiable augmentations D's inputs get (Zhao et al. 2020,
// "Differentiable Augmentation for Data-Efficient GAN Training").
struct Augmentations {
    bool color = false;        // random brightness, saturation (RGB only) and contrast per image
    bool translation = false;  // random shift by up to 1/8 of the size, zero (mid-grey) fill
    bool cutout = false;       // a random square of half the size set to zero (mid-grey)

    bool any() const { return color || translation || cutout; }
};

// "" or "none" -> nothing; else a comma list of color, translation, cutout.
// Throws latentlab::Error naming an unknown entry.
Augmentations parse_augmentations(const std::string& text);
std::string to_string(const Augmentations& augmentations);

// Applies `augmentations` to a batch [B, C, S, S] in [-1, 1], differently for
// each image, with parameters drawn from `rng` (a CPU generator, so a run is
// reproducible from its checkpointed RNG state). Every operation is
// differentiable with respect to `images`, so G learns through it. Returns
// `images` itself when nothing is enabled.
at::Tensor augment(const at::Tensor& images, const Augmentations& augmentations, at::Generator& rng);

} // namespace latentlab
