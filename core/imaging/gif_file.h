// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <vector>

#include "imaging/image.h"

namespace latentlab {

// Writes `frames` (equally sized, gray or RGB) as an animated GIF: each frame
// shown for `delay_centiseconds`, repeated forever when `loop`. Colours are
// reduced to one 256-colour palette per frame (median cut). Written
// atomically; throws latentlab::Error naming the path and the reason.
// Available where the build found giflib (LATENTLAB_HAVE_GIF).
void write_gif(const std::string& path, const std::vector<Image>& frames, int delay_centiseconds = 10,
               bool loop = true);

// The same GIF as bytes in memory.
std::string encode_gif(const std::vector<Image>& frames, int delay_centiseconds = 10, bool loop = true);

} // namespace latentlab
