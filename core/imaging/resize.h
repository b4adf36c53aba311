// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "imaging/image.h"

namespace latentlab {

// Scales `src` so that its shorter side becomes `size` (area averaging when
// shrinking, bilinear interpolation when growing), then cuts the centred
// size x size square out of it. The result keeps src's channel count.
// Throws latentlab::Error when src is empty or size < 1.
Image resize_to_square(const Image& src, int size);

// Converts between gray (1 channel) and RGB (3 channels). Gray -> RGB copies
// the value into all three channels; RGB -> gray uses BT.601 luma
// (0.299 R + 0.587 G + 0.114 B, rounded). A 4-channel source is treated as
// RGBA and its alpha is dropped. Same channel count returns a copy.
// Throws latentlab::Error for channel counts other than these.
Image convert_channels(const Image& src, int channels);

} // namespace latentlab
