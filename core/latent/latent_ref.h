// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Torch-free: the GUI's widgets use these types without LibTorch's headers;
// the vectors they name come from latent/latent_batch.h.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

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
    LatentRef() = default;
    LatentRef(std::uint64_t seed_, std::int64_t index_, std::string file_ = {})
        : seed(seed_), index(index_), file(std::move(file_)) {}

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

} // namespace latentlab
