// SPDX-License-Identifier: GPL-3.0-or-later
// Torch-free, for the GUI's widgets; the paths themselves are in interpolation.h.
#pragma once

#include <string>

namespace latentlab {

enum class InterpolationMode { Lerp, Slerp };
InterpolationMode parse_interpolation_mode(const std::string& text);  // "lerp" | "slerp"; throws Error
std::string to_string(InterpolationMode mode);

} // namespace latentlab
