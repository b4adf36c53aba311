// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

namespace latentlab {

// How latent vectors are drawn: N(0, 1) or U(-1, 1) per component.
enum class NoiseKind { Normal, Uniform };
NoiseKind parse_noise_kind(const std::string& text);  // "normal" | "uniform"; throws Error
std::string to_string(NoiseKind kind);

// A reference to one latent vector, in one of two forms:
// - SEED:INDEX names the INDEX-th latent vector of the batch drawn with SEED:
//   exactly the image at INDEX (0 = top-left) of `latentlab-cli sample --seed SEED`.
// - FILE#INDEX names the INDEX-th vector stored in a latents file
//   (latent_set_file.h), counting group A, B, C and then the keyframes in
//   order; `latentlab-cli project` writes its latents as keyframes, so #0 is
//   the first projected image. FILE is a path as given, relative ones
//   resolved against the current directory when the vector is read.
struct LatentRef {
    std::uint64_t seed = 0;
    std::int64_t index = 0;
    std::string file;  // empty: the SEED:INDEX form
    bool is_file() const { return !file.empty(); }
    std::string to_string() const;
};
bool operator==(const LatentRef& a, const LatentRef& b);

// Either form; only the syntax is checked (the file is read by latents_for).
// Throws latentlab::Error quoting the text and the reason.
LatentRef parse_latent_ref(const std::string& text);
std::vector<LatentRef> parse_latent_refs(const std::string& comma_list);

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
