// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/random_images.h"

#include <string>

#include "common/error.h"

namespace latentlab {

DecodedImages random_images(std::uint64_t seed, std::size_t count, const DecodeOptions& options) {
    if (count == 0) throw Error("random: the image count must be positive");
    DecodedImages out;
    out.size = options.size;
    out.channels = options.channels == 0 ? 3 : options.channels;
    out.pixels.resize(count * out.image_bytes());
    std::uint64_t state = seed * 0x9e3779b97f4a7c15ULL + 1;
    for (auto& p : out.pixels) {
        // xorshift64: fast and plenty for noise images
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        p = static_cast<std::uint8_t>(state >> 56);
    }
    out.names.reserve(count);
    for (std::size_t i = 0; i < count; ++i) out.names.push_back("random_" + std::to_string(i));
    return out;
}

} // namespace latentlab
