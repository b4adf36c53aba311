// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>

#include "data/decoded_images.h"

namespace latentlab {

// Uniform random pixels, for benchmarks only: it costs no decoding and no
// disk, so a benchmark measures the model and the pipeline alone.
DecodedImages random_images(std::uint64_t seed, std::size_t count, const DecodeOptions& options);

} // namespace latentlab
