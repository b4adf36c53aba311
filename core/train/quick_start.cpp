// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/quick_start.h"

#include <string>

namespace latentlab {

TrainConfig quick_start_config() {
    TrainConfig c;
    c.data = "synthetic:" + std::to_string(kQuickStartFaces);
    c.model.image_size = 32;
    c.model.ngf = 48;
    c.model.ndf = 32;
    c.epochs = 60;
    c.batch_size = 64;
    c.use_recipe(kDefaultRecipe);
    // bfloat16 where the CPU has the units for it: the run ends in about half
    // the time, and is ahead at every point in time (docs/QUALITY.md, "bfloat16").
    c.precision = "auto";
    return c;
}

} // namespace latentlab
