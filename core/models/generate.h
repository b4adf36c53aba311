// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <vector>

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include "imaging/image.h"
#include "models/generator.h"

namespace latentlab {

// Which batch-norm statistics the generator uses when it draws images.
enum class NormStatistics {
    Running,  // evaluation mode: the running averages kept during training (the default)
    Batch,    // the statistics of the batch being drawn, as in training
};

// Runs `g` on `latents` ([N, nz]) without gradients and returns the images as
// float32 [N, C, S, S] in [-1, 1] on the CPU. The generator's state (training
// flag, running statistics) is left exactly as it was.
at::Tensor generate(Generator& g, const at::Tensor& latents, c10::Device device,
                    NormStatistics statistics = NormStatistics::Running);

// [N, C, S, S] in [-1, 1] -> N 8-bit images (rounded, clamped).
std::vector<Image> to_images(const at::Tensor& batch);

// The reverse: N 8-bit images of one size and channel count -> float32
// [N, C, S, S] in [-1, 1] on the CPU. Throws latentlab::Error when the list is
// empty or the images differ in shape.
at::Tensor to_batch(const std::vector<Image>& images);

} // namespace latentlab
