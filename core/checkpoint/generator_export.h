// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

#include "checkpoint/generator_snapshot.h"

namespace latentlab {

// The bytes of a bare safetensors file holding the generator's state as
// PyTorch names it: the pytorch/examples DCGAN `netG` keys ("main.0.weight",
// "main.1.running_mean", ..., "main.12.weight" at 64 px), float32 weights and
// int64 "num_batches_tracked", so that `safetensors.torch.load_file` opens it
// and that generator's `load_state_dict` accepts it. The metadata records the
// shape (nz, ngf, channels, image_size), the source checkpoint and whether
// the weights are the EMA.
std::string generator_safetensors(const GeneratorSnapshot& snapshot);

} // namespace latentlab
