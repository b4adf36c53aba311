// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/model_config.h"

#include <string>

#include "common/error.h"

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
    constexpr std::int64_t kMaxWidth = 4096;
    if (nz < 1 || nz > kMaxWidth) throw Error("nz " + std::to_string(nz) + " is out of range (1.." + std::to_string(kMaxWidth) + ")");
    if (ngf < 1 || ngf > kMaxWidth) throw Error("ngf " + std::to_string(ngf) + " is out of range (1.." + std::to_string(kMaxWidth) + ")");
    if (ndf < 1 || ndf > kMaxWidth) throw Error("ndf " + std::to_string(ndf) + " is out of range (1.." + std::to_string(kMaxWidth) + ")");
}

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
