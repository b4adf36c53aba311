// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace latentlab {

// "0.1.0 (commit 1a2b3c4d5e6f, LibTorch 2.11.0, CUDA support installed)": what `--version` prints
// after the program's name.
std::string version_details();

} // namespace latentlab
