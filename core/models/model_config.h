// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>

namespace latentlab {

// How the discriminator keeps its layers in range: batch norm on every block
// but the first (the lecture's DCGAN), or spectral normalisation of every
// convolution with no batch norm at all (D then never sees batch statistics,
// so it cannot tell a real batch from a fake one by them alone).
enum class DiscriminatorNorm { Batch, Spectral };

std::string to_string(DiscriminatorNorm norm);
// "batch" or "spectral"; throws latentlab::Error naming the value otherwise.
DiscriminatorNorm parse_discriminator_norm(const std::string& text);

// G and D together may hold at most this many weights (2 GiB of float32):
// beyond any DCGAN a desktop trains, and a guard against absurd settings
// read from files.
inline constexpr std::uint64_t kMaxParameters = std::uint64_t{1} << 29;

// The shape of a DCGAN pair. Image sizes are powers of two from 32 to 128;
// the number of stride-2 blocks follows the size (4x4 -> size).
struct ModelConfig {
    int image_size = 64;
    int channels = 3;
    std::int64_t nz = 100;   // latent vector length
    std::int64_t ngf = 64;   // generator width (filters of the last hidden block)
    std::int64_t ndf = 64;   // discriminator width (filters of the first block)
    DiscriminatorNorm d_norm = DiscriminatorNorm::Batch;

    // Throws latentlab::Error naming the value that is out of range, or the
    // parameter count when it exceeds kMaxParameters.
    void validate() const;
    // Weights of G and D together (their 4x4 convolutions), for the size cap.
    std::uint64_t parameter_count() const;
    std::uint64_t generator_weights() const;
    std::uint64_t discriminator_weights() const;
    // Stride-2 upsampling blocks between the 4x4 seed and the image: log2(size) - 2.
    int upsampling_blocks() const;
};

bool operator==(const ModelConfig& a, const ModelConfig& b);

} // namespace latentlab
