// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <vector>

#include "imaging/image.h"

namespace latentlab {

// Writes same-sized images as one NumPy .npy array of uint8, shaped
// [N, C, H, W] (the layout PyTorch models take), so that Python tools can
// read them with numpy.load. Throws latentlab::Error naming the file when the
// images differ in size or the file cannot be written.
void write_npy(const std::string& path, const std::vector<Image>& images);

} // namespace latentlab
