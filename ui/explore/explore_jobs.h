// SPDX-License-Identifier: GPL-3.0-or-later
// The explorer's drawing, on the generation worker's thread only (LibTorch).
// Built from the same core functions as latentlab-cli, in the same order, so
// the same latents give the same pixels.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "checkpoint/generator_snapshot.h"
#include "imaging/image.h"
#include "imaging/layouts.h"
#include "latent/attribute_probe.h"
#include "latent/interpolation.h"
#include "explore/explore_types.h"

namespace latentlab::explore {

struct GridTiles {
    std::vector<Image> tiles;
    Vectors vectors;
    at::Tensor values;  // the generator's output the tiles were made from: [count, C, S, S] in [-1, 1]
};
// Tiles 0 .. count-1 of the batch drawn with `seed` (as `sample --seed`), with their latents.
GridTiles draw_grid(GeneratorSnapshot& g, std::uint64_t seed, int count, const DrawSettings& settings);

struct ArithmeticImages {
    Image sheet;
    ArithmeticSheet parts;
    Vector result;
    std::vector<Image> variants;
    Vectors variant_vectors;
};
// mean(A) - mean(B) + mean(C) and its sheet, plus `variants` re-rolls of the
// result with N(0, variant_noise^2) added per component.
ArithmeticImages draw_arithmetic(GeneratorSnapshot& g, const std::array<Vectors, kGroups>& groups, bool batch_statistics,
                                 int variants = 0, double variant_noise = 0.0, std::uint64_t variant_seed = 0);

// One point of the path through `keyframes` (0 = first, K - 1 = last).
Image draw_frame(GeneratorSnapshot& g, const Vectors& keyframes, double position, InterpolationMode mode,
                 bool batch_statistics);
// `frames` evenly spaced points of that path, both ends included.
std::vector<Image> draw_path(GeneratorSnapshot& g, const Vectors& keyframes, int frames, InterpolationMode mode,
                             bool batch_statistics);

// The images of `vectors`, one generator call.
std::vector<Image> draw_vectors(GeneratorSnapshot& g, const Vectors& vectors, bool batch_statistics);
// The vector SEED:INDEX names under `settings` (truncation applied).
Vector resolve_ref(const GeneratorSnapshot& g, const LatentRef& ref, const DrawSettings& settings);

// An attribute probe opened for this generator, with the direction of each
// attribute measured on it (undefined where no sample had it, or all did).
struct OpenedProbe {
    std::shared_ptr<AttributeProbe> probe;
    Vectors directions;     // one per attribute; empty where undefined
    std::vector<int> with;  // per attribute: samples the probe says have it
    int samples = 0;
};
// Throws latentlab::Error naming the file when it is not a probe, or one for
// images of another size or channel count than the generator draws.
OpenedProbe open_probe(GeneratorSnapshot& g, const std::string& path, const DrawSettings& settings);

struct PickedTiles {
    std::vector<LatentEntry> entries;  // SEED:INDEX with its vector, best first
    std::vector<double> scores;
    std::vector<Image> images;
};
// The `count` best samples for `wishes` ("Smiling,-Male") among `batches`
// batches of 64 from `first_seed` on, as `latentlab-cli pick` finds them.
PickedTiles draw_picks(GeneratorSnapshot& g, const AttributeProbe& probe, const std::string& wishes, int count,
                       std::uint64_t first_seed, int batches, const DrawSettings& settings);

// The probe's score for `wishes` of each of `values` (a grid's GridTiles::values),
// as draw_picks scores the images it draws.
std::vector<double> score_values(const AttributeProbe& probe, const std::string& wishes, const at::Tensor& values);

// Writes an export; returns the number of files written. Throws latentlab::Error.
int run_export(GeneratorSnapshot& g, const ExportRequest& request);

} // namespace latentlab::explore
