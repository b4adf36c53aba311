// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

#include "checkpoint/generator_snapshot.h"

namespace latentlab {

// Generators (and discriminators) trained by the PyTorch DCGAN recipe, read
// from the state_dict files it saves (netG_epoch_24.pth, netD_epoch_24.pth):
// the layers of pytorch/examples' dcgan, at 32, 64 or 128 px, with or without
// DataParallel's "module." prefix. nz, ngf (ndf) and the channels are inferred
// from the weight shapes; a file of another architecture, with a missing or
// extra key or a misshapen tensor, is refused naming the first offending key.

// True when the file starts like a zip (a torch.save file), not like a .llck.
bool is_pytorch_file(const std::string& path);

// The generator of a netG file, in evaluation mode on `device`, with
// meta["imported_from"] naming the file.
GeneratorSnapshot import_pytorch_generator(const std::string& netg_path, c10::Device device);

// A .llck checkpoint holding the generator of `netg_path` and, when
// `netd_path` is not empty, the discriminator of `netd_path` (so that the
// explorer can project photos). It can be explored, not resumed: it holds no
// optimizer state. Throws latentlab::Error naming the file and the key.
std::string imported_checkpoint_bytes(const std::string& netg_path, const std::string& netd_path);

} // namespace latentlab
