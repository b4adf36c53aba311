// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

#include "imaging/image.h"

namespace latentlab {

// Encodes an 8-bit gray or RGB image as PNG bytes. Uses OpenCV where the
// build has it, and a small zlib-based encoder otherwise (GPU boxes without
// OpenCV still write samples). Both give the same pixels.
std::string encode_png(const Image& image);

// The zlib-based encoder on its own, so that tests can check it against OpenCV.
std::string encode_png_with_zlib(const Image& image);

// Writes `image` to `path` atomically (a temporary file renamed into place).
// Throws latentlab::Error naming the path and the reason.
void write_png(const std::string& path, const Image& image);


} // namespace latentlab
