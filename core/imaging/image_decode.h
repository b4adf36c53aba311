// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Available only when LatentLab is built with OpenCV (LATENTLAB_HAVE_OPENCV).

#include <cstddef>
#include <string>

namespace latentlab {

// Decodes one encoded image (PNG, JPEG, BMP, WebP, TIFF) into `dst`, a
// size x size x channels buffer (HWC; channels 3 = RGB, 1 = BT.601 gray).
//
// - The header is read first (read_image_header): an incomplete file is
//   refused with its reason, and so is one declaring more than
//   kMaxDecodedPixels ("too large to decode: 60000 x 60000 pixels, over the
//   50-megapixel limit"), before OpenCV allocates anything.
// - The centre square (side = the shorter side) is cut out before anything
//   else, then scaled to `size` (area averaging when shrinking, bilinear when
//   growing): a 1 x 1,000,000 image costs one pixel, not a 32 x 32,000,000
//   intermediate.
// - 16-bit and float pixels become 8-bit; alpha is composited over white.
//
// Returns an empty string on success, else the reason the bytes cannot be
// used (for a skipped-files list). Never throws for bad bytes; size must be
// 1..8192 and channels 1 or 3.
std::string decode_square_image(const unsigned char* bytes, std::size_t count, int size, int channels,
                                unsigned char* dst);

} // namespace latentlab
