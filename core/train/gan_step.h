// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <ATen/core/Generator.h>
#include <torch/optim/adam.h>

#include "models/discriminator.h"
#include "models/generator.h"
#include "train/metrics.h"

namespace latentlab {

// One DCGAN iteration, the lecture's recipe:
//   1. D on a real batch, label real;
//   2. D on a separate batch of fakes (detached), label fake — real and fake
//      never share a batch, so their batch-norm statistics never mix;
//   3. one Adam step for D;
//   4. G through D with the labels flipped to real (D's weights frozen, so no
//      gradient is computed for them), one Adam step for G.
// The loss is binary cross entropy from logits.
//
// The device buffers (real images, noise, labels) are allocated once and
// reused; the noise is drawn on the CPU from the engine's generator, so a run
// is reproducible from its seed and its checkpointed RNG state.
class GanStep {
public:
    GanStep(Generator g, Discriminator d, torch::optim::Adam& opt_g, torch::optim::Adam& opt_d,
            torch::Device device, std::int64_t batch_size, bool channels_last);

    // Runs one iteration on `real` (float32 [B, C, S, S] in [-1, 1] on the CPU).
    // Fills the loss, D output and accuracy fields of the result.
    IterationMetrics run(const at::Tensor& real, at::Generator& noise_rng);

private:
    Generator g_;
    Discriminator d_;
    torch::optim::Adam& opt_g_;
    torch::optim::Adam& opt_d_;
    torch::Device device_;
    bool channels_last_;
    at::Tensor real_, noise_host_, noise_, ones_, zeros_;
};

// Converts every 4-D parameter and buffer of `module` to channels-last memory
// format in place (LibTorch's Module::to has no memory-format overload).
void to_channels_last(torch::nn::Module& module);

} // namespace latentlab
