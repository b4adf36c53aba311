// SPDX-License-Identifier: GPL-3.0-or-later
// The image decode wrapper (header check, pixel cap, centre crop, OpenCV
// decode) on hostile bytes, in gray and colour.
#include <cstdint>
#include <vector>

#include "imaging/image_decode.h"
#include "imaging/image_header.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace latentlab;
    read_image_header(data, size);
    constexpr int kSize = 16;
    std::vector<unsigned char> pixels(kSize * kSize * 3);
    decode_square_image(data, size, kSize, 3, pixels.data());
    decode_square_image(data, size, kSize, 1, pixels.data());
    return 0;
}
