// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <vector>

#include "checkpoint/generator_snapshot.h"
#include "imaging/image.h"
#include "imaging/layouts.h"
#include "latent/interpolation.h"
#include "latent/latent_batch.h"
#include "models/generate.h"

namespace latentlab {

// The pictures LatentLab makes from a generator, shared by the CLI and the
// GUI so that the same references give the same pixels.

struct ViewOptions {
    NoiseKind noise = NoiseKind::Normal;
    NormStatistics statistics = NormStatistics::Running;
    double truncation = 1.0;  // latents drawn from a seed are scaled by this (< 1: nearer the mean)
};

// The latents the views draw for `refs` (truncation applied to SEED:INDEX rows,
// not to vectors read from files): [refs.size(), nz].
at::Tensor view_latents(const GeneratorSnapshot& g, const std::vector<LatentRef>& refs, const ViewOptions& options);
// Rows 0 .. count-1 of the batch drawn with `seed` (truncation applied).
at::Tensor view_batch(const GeneratorSnapshot& g, std::uint64_t seed, int count, const ViewOptions& options);

// What the generator draws for `latents`: float32 [N, C, S, S] in [-1, 1] on
// the CPU, before rounding to pixels.
at::Tensor draw_values(GeneratorSnapshot& g, const at::Tensor& latents, const ViewOptions& options);

// `count` images of the batch drawn with `seed`, as tiles (index 0 first).
std::vector<Image> sample_tiles(GeneratorSnapshot& g, std::uint64_t seed, int count, const ViewOptions& options = {});

// The grid `sample --seed S --count N` writes: rows of ceil(sqrt(N)) tiles.
Image sample_grid(GeneratorSnapshot& g, std::uint64_t seed, int count, const ViewOptions& options = {});

// Frames from `from` to `to` (both included), side by side.
Image interpolation_strip(GeneratorSnapshot& g, const LatentRef& from, const LatentRef& to, int steps,
                          InterpolationMode mode, const ViewOptions& options = {});

// mean(A) - mean(B) + mean(C) from groups of latents za, zb, zc [k, nz]: every
// tile (one generator call, so batch statistics, when asked for, cover the
// whole sheet), the result's latent [nz], and the laid-out sheet.
struct ArithmeticParts {
    ArithmeticSheet tiles;
    at::Tensor result;  // mean(A) - mean(B) + mean(C)
    Image sheet;        // make_arithmetic_sheet(tiles)
};
ArithmeticParts arithmetic_parts(GeneratorSnapshot& g, const at::Tensor& za, const at::Tensor& zb, const at::Tensor& zc,
                                 const ViewOptions& options = {});

// The same from references, laid out as the lecture's demo sheet.
Image arithmetic_sheet(GeneratorSnapshot& g, const std::vector<LatentRef>& a, const std::vector<LatentRef>& b,
                       const std::vector<LatentRef>& c, const ViewOptions& options = {});

// Columns of a square-ish grid of `count` tiles.
int grid_columns(int count);

} // namespace latentlab
