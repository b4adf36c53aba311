// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <vector>

#include <ATen/core/Tensor.h>

#include "latent/latent_ref.h"

namespace latentlab {

// Rows `first` .. `first + count - 1` of the batch drawn with `seed`: a float32
// CPU tensor [count, nz]. Every row is drawn from its own generator keyed by
// (seed, row), so a row never depends on how many others are drawn and the
// same reference gives the same vector on every device and batch size.
at::Tensor latent_batch(std::uint64_t seed, std::int64_t count, std::int64_t nz,
                        NoiseKind kind = NoiseKind::Normal, std::int64_t first = 0);

// The vectors named by `refs`, stacked: [refs.size(), nz]. SEED:INDEX rows
// are drawn with `kind`; FILE#INDEX rows are read from their file as stored.
// Throws latentlab::Error naming the reference and the reason when a file
// cannot be read, holds vectors of another length than nz, or has no entry at
// INDEX.
at::Tensor latents_for(const std::vector<LatentRef>& refs, std::int64_t nz, NoiseKind kind = NoiseKind::Normal);

} // namespace latentlab
