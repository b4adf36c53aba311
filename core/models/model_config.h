// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>

namespace latentlab {

// The shape of a DCGAN pair. Image sizes are powers of two from 32 to 128;
// the number of stride-2 blocks follows the size (4x4 -> size).
struct ModelConfig {
    int image_size = 64;
    int channels = 3;
    std::int64_t nz = 100;   // latent vector length
    std::int64_t ngf = 64;   // generator width (filters of the last hidden block)
    std::int64_t ndf = 64;   // discriminator width (filters of the first block)

    // Throws latentlab::Error naming the value that is out of range.
    void validate() const;
    // Stride-2 upsampling blocks between the 4x4 seed and the image: log2(size) - 2.
    int upsampling_blocks() const;
};

bool operator==(const ModelConfig& a, const ModelConfig& b);

} // namespace latentlab
