// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/model_config.h"

#include <string>

#include "common/error.h"
#include "common/setting_ranges.h"

namespace latentlab {

std::string to_string(DiscriminatorNorm norm) { return norm == DiscriminatorNorm::Spectral ? "spectral" : "batch"; }

DiscriminatorNorm parse_discriminator_norm(const std::string& text) {
    if (text == "batch") return DiscriminatorNorm::Batch;
    if (text == "spectral") return DiscriminatorNorm::Spectral;
    throw Error("discriminator norm '" + text + "' is not known (use batch or spectral)");
}

void ModelConfig::validate() const {
    if (image_size != 32 && image_size != 64 && image_size != 128)
        throw Error("image size " + std::to_string(image_size) + " is not supported (use 32, 64 or 128)");
    if (channels != 1 && channels != 3)
        throw Error("channels " + std::to_string(channels) + " is not supported (use 1 or 3)");
    require_in_range("nz", static_cast<double>(nz));
    require_in_range("ngf", static_cast<double>(ngf));
    require_in_range("ndf", static_cast<double>(ndf));
    if (parameter_count() > kMaxParameters)
        throw Error("a " + std::to_string(image_size) + " px model with nz " + std::to_string(nz) + ", ngf " + std::to_string(ngf) +
                    ", ndf " + std::to_string(ndf) + " has " + std::to_string(parameter_count()) +
                    " parameters, more than LatentLab's limit of " + std::to_string(kMaxParameters));
}

// The 4x4 convolution weights, which are nearly all of both networks (batch
// norm adds 2 per channel; spectral norm a bias and a vector).
std::uint64_t ModelConfig::generator_weights() const {
    constexpr std::uint64_t k = 16;
    const int blocks = upsampling_blocks();
    const std::uint64_t seed_width = static_cast<std::uint64_t>(ngf) << (blocks - 1);
    std::uint64_t g = nz * seed_width * k, width = seed_width;
    for (int b = 1; b < blocks; ++b, width /= 2) g += width * (width / 2) * k;
    return g + width * channels * k;
}

std::uint64_t ModelConfig::discriminator_weights() const {
    constexpr std::uint64_t k = 16;
    const int blocks = upsampling_blocks();
    std::uint64_t d = channels * static_cast<std::uint64_t>(ndf) * k, width = ndf;
    for (int b = 1; b < blocks; ++b, width *= 2) d += width * width * 2 * k;
    return d + width * k;
}

std::uint64_t ModelConfig::parameter_count() const { return generator_weights() + discriminator_weights(); }

int ModelConfig::upsampling_blocks() const {
    int blocks = 0;
    for (int s = 4; s < image_size; s *= 2) ++blocks;
    return blocks;
}

bool operator==(const ModelConfig& a, const ModelConfig& b) {
    return a.image_size == b.image_size && a.channels == b.channels && a.nz == b.nz && a.ngf == b.ngf &&
           a.ndf == b.ndf && a.d_norm == b.d_norm;
}

} // namespace latentlab
