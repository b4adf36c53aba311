// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>

#include "train/train_config.h"

namespace latentlab {

// The window's starting settings: the built-in synthetic faces at 32 px with a
// narrow model (ngf 48, ndf 32) and the default recipe, for 60 epochs. Chosen
// by measurement (docs/QUALITY.md, "The window's defaults"): on a 2-core CPU
// the faces are recognisable after about a minute and the run ends after
// about five with a model clean and varied enough for latent arithmetic.
// Precision float32 (bfloat16 ends the run sooner but worse: docs/QUALITY.md).
// The command line keeps the lecture's settings (TrainConfig's defaults).
inline constexpr std::size_t kQuickStartFaces = 4096;

TrainConfig quick_start_config();

} // namespace latentlab
