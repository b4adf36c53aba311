// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "latent/attribute_probe.h"
#include "latent/latent_views.h"

namespace latentlab {

// The direction of an attribute in the latent space: the mean latent of the
// generated images the probe says have it minus the mean latent of those it
// says lack it. Moving a latent along it adds the attribute (a smile) while
// keeping the rest of the face as far as the generator has learned to.
struct AttributeDirection {
    std::string name;
    at::Tensor direction;   // [nz] float32 on the CPU
    std::size_t with = 0;   // samples the probe said have the attribute
    std::size_t without = 0;
};

// From `samples` latents drawn in batches of 64 with seeds first_seed,
// first_seed + 1, ... Throws latentlab::Error for an attribute the probe does
// not know, a probe of another size, or when no sample has (or lacks) it.
AttributeDirection attribute_direction(GeneratorSnapshot& g, const AttributeProbe& probe, const std::string& name,
                                       int samples = 1024, std::uint64_t first_seed = 1000000,
                                       const ViewOptions& options = {});

// The directions of all the probe's attributes from the same samples, in the
// probe's order. An attribute that every sample has, or none has, gets an
// undefined `direction` (with or without is 0).
std::vector<AttributeDirection> attribute_directions(GeneratorSnapshot& g, const AttributeProbe& probe,
                                                     int samples = 1024, std::uint64_t first_seed = 1000000,
                                                     const ViewOptions& options = {});

// The images of `from` moved by each of `amounts` times the direction, side by side.
Image attribute_strip(GeneratorSnapshot& g, const AttributeDirection& d, const LatentRef& from,
                      const std::vector<double>& amounts, const ViewOptions& options = {});

} // namespace latentlab
