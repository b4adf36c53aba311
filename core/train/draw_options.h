// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <ATen/core/Generator.h>
#include <c10/core/TensorOptions.h>

namespace latentlab {

// Options for drawing random values from `rng`: `dtype` on the generator's own
// device, so that the training step draws on the device it runs on (the CPU
// generator's stream on the CPU, exactly as before; a CUDA generator on CUDA,
// with no host-to-device copy per draw).
inline at::TensorOptions draw_options(const at::Generator& rng, at::ScalarType dtype) {
    return at::TensorOptions().dtype(dtype).device(rng.device());
}

} // namespace latentlab
