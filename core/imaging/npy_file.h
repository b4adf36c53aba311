// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "imaging/image.h"

namespace latentlab {

// Writes same-sized images as one NumPy .npy array of uint8, shaped
// [N, C, H, W] (the layout PyTorch models take), so that Python tools can
// read them with numpy.load. Throws latentlab::Error naming the file when the
// images differ in size or the file cannot be written.
void write_npy(const std::string& path, const std::vector<Image>& images);

// Writes `values` (row-major, shaped `shape`) as a little-endian float32 .npy
// array. Throws latentlab::Error naming the file when the shape does not
// match the number of values or the file cannot be written.
void write_npy_float32(const std::string& path, const std::vector<std::size_t>& shape, const std::vector<float>& values);

} // namespace latentlab
