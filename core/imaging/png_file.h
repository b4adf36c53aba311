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

// Writes bytes to `path` atomically: temporary file, fsync, rename, fsync of
// the folder. Throws latentlab::Error naming the path and the reason.
void write_file_atomically(const std::string& path, const std::string& bytes);

// Flushes the folder `dir` to disk after `path` was created or renamed in it,
// so that the new name survives a power cut. Throws latentlab::Error naming
// `path` and the reason; file systems that cannot sync a folder (EINVAL) pass.
void sync_folder(const std::string& dir, const std::string& path);

} // namespace latentlab
