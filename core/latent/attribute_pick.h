// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "latent/attribute_probe.h"
#include "latent/latent_views.h"

namespace latentlab {

// Picking generated faces by attribute: the lecture's "three smiling women",
// found by the attribute probe instead of by eye.

// One wanted attribute: a column of the probe, present or absent.
struct AttributeWish {
    int column = 0;
    bool present = true;
};

// "Smiling,-Male": a comma list of the probe's attribute names, each with an
// optional '-' for "absent". Throws latentlab::Error naming an unknown name
// and listing the probe's.
std::vector<AttributeWish> parse_attribute_wishes(const std::string& text, const std::vector<std::string>& names);

// How well each image matches the wishes: the product over them of the
// probability (present) or one minus it (absent). [N, A] -> [N].
at::Tensor wish_scores(const at::Tensor& probabilities, const std::vector<AttributeWish>& wishes);

struct AttributePick {
    LatentRef ref;   // SEED:INDEX, so the pick can be redrawn anywhere
    double score;    // wish_scores of its image
};

// Draws `batches` batches of `batch_size` latents (seeds first_seed,
// first_seed + 1, ...), scores their images with the probe and returns the
// `count` best, best first (ties: the lower seed, then index). The probe must
// take the generator's image size and channels (else latentlab::Error).
std::vector<AttributePick> pick_by_attributes(GeneratorSnapshot& g, const AttributeProbe& probe,
                                              const std::vector<AttributeWish>& wishes, int count,
                                              std::uint64_t first_seed, int batches, int batch_size = 64,
                                              const ViewOptions& options = {});

} // namespace latentlab
