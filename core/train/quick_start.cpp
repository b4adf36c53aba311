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
    // float32: bfloat16 is ahead after the first minute on CPUs with bfloat16
    // units, level at five minutes, and ends 15% worse (docs/QUALITY.md, "bfloat16").
    c.precision = "fp32";
    return c;
}

} // namespace latentlab
