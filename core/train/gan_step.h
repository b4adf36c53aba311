// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <ATen/core/Generator.h>
#include <torch/optim/adam.h>

#include "models/discriminator.h"
#include "models/generator.h"
#include "train/diff_augment.h"
#include "train/fused_adam.h"
#include "train/gan_loss.h"
#include "train/metrics.h"
#include "train/recipe.h"

namespace latentlab {

// One GAN iteration, the lecture's recipe:
//   1. D on a real batch, label real;
//   2. D on a separate batch of fakes (detached), label fake — real and fake
//      never share a batch, so their batch-norm statistics never mix;
//   3. one Adam step for D;
//   4. G through D with the labels flipped to real (D's weights frozen, so no
//      gradient is computed for them), one Adam step for G.
// The recipe composes into it: the objective (BCE from logits or hinge, with
// the real label), instance noise and differentiable augmentation on every
// image D sees. Learning rates and the EMA of G live in the engine. With
// bf16, the forward passes run under bfloat16 autocast: float32 weights,
// optimizer state and losses, bfloat16 convolutions.
//
// The device buffers (real images, noise) are allocated once and reused; the
// noise and the augmentation parameters are drawn from the generator the
// engine passes, which lives on the step's device (the CPU generator on the
// CPU, a CUDA generator on CUDA), so a run is reproducible from its seed and
// its checkpointed RNG state and nothing in an iteration waits for the device.
//
// With `capturable`, the optimizers step through FusedAdam (learning rates
// and step counts on the device) and run() reads no host value that changes
// between iterations, so a StepGraph can record it once and replay it.
class GanStep {
public:
    GanStep(Generator g, Discriminator d, torch::optim::Adam& opt_g, torch::optim::Adam& opt_d,
            torch::Device device, std::int64_t batch_size, bool channels_last, bool bf16, const Recipe& recipe,
            bool capturable = false);

    // What an iteration decides on the host before its device work: whether
    // the (lazy) R1 penalty applies, and the instance noise's scale.
    struct Plan {
        bool r1 = false;
        double noise_scale = 0.0;
    };
    Plan plan(double progress, std::int64_t iteration) const;
    // Copies the batch into the step's input buffer and writes the plan's
    // noise scale to the device; what run() reads.
    void stage(const at::Tensor& real, const Plan& plan);
    // The iteration's device work on the staged batch (both networks' updates);
    // returns the scalars as launch() does. With `capturable`, the host's
    // count of optimizer steps is left to count_optimizer_steps().
    at::Tensor run(at::Generator& rng, const Plan& plan);
    // With `capturable`: one optimizer step more on the host's count (for
    // checkpoints), after run() or after a replay of it.
    void count_optimizer_steps();
    // With `capturable`: after the optimizers' state was loaded, or their
    // learning rates set.
    void reload_optimizers();
    void set_learning_rates(double lr_g, double lr_d);

    // Queues one iteration on `real` (float32 [B, C, S, S] in [-1, 1], on the
    // CPU or already on the device) and returns its scalars without waiting
    // for them: a [kStepScalars] double tensor on the step's device, read with
    // read_step_scalars once on the host. `rng` must be on the step's device.
    // `progress` is the fraction of the run done (0..1), which anneals the
    // instance noise; `iteration` (from 0) says whether a lazy R1 penalty
    // applies.
    // plan(), stage() and run() in one.
    at::Tensor launch(const at::Tensor& real, at::Generator& rng, double progress = 0.0, std::int64_t iteration = 0);

    // With a noise target, the instance noise's current level: a 0-dim
    // float tensor on the step's device, which follows D's accuracy after
    // every iteration without a transfer to the host. Saved in checkpoints.
    // The noise applied is this level until the run's last quarter, then
    // fades with it to 0.
    bool adaptive_noise() const { return noise_target_ > 0.0; }
    const at::Tensor& noise_level() const { return noise_level_; }
    void set_noise_level(double level);

    // With an augment target, each image D sees is augmented with this
    // probability (0-dim float on the device, starting at 0), which follows
    // D's accuracy after every iteration like the noise level (adaptive
    // discriminator augmentation). Saved in checkpoints.
    bool adaptive_augment() const { return augment_target_ > 0.0; }
    const at::Tensor& augment_probability() const { return augment_p_; }
    void set_augment_probability(double p);

private:
    // D's logits and G's images, float32; with bf16 their convolutions run
    // under bfloat16 autocast (AutocastScope).
    at::Tensor discriminate(const at::Tensor& images);
    at::Tensor generate_fakes();
    // What D sees of `images`: augmented, with instance noise (when `noisy`) of the
    // staged scale, in the step's memory format. The scale is the noise's std, or
    // with a noise target the share of the adaptive level.
    at::Tensor d_input(const at::Tensor& images, at::Generator& rng, bool noisy);
    void step_optimizer(torch::optim::Adam& opt, std::unique_ptr<FusedAdam>& fused);
    // Moves an adaptive level (the noise's, the augmentation probability) towards
    // holding D's accuracy (the mean of the two accuracies, 0-dim tensors on the
    // device) at `target`: by (accuracy - target) x the batch's share of 10,000
    // images, within [0, 1].
    void adapt(at::Tensor& level, double target, const at::Tensor& accuracy_real, const at::Tensor& accuracy_fake) const;

    Generator g_;
    Discriminator d_;
    torch::optim::Adam& opt_g_;
    torch::optim::Adam& opt_d_;
    torch::Device device_;
    bool channels_last_;
    bool bf16_;
    GanObjective objective_;
    Augmentations augmentations_;
    double instance_noise_;
    double noise_target_;
    double augment_target_;
    double r1_gamma_;
    int r1_every_;
    at::Tensor real_, noise_;
    at::Tensor noise_scale_;  // [] float on the device: the plan's noise scale (stage())
    std::unique_ptr<FusedAdam> fused_g_, fused_d_;  // with `capturable`
    at::Tensor noise_level_;  // [] float on the device, used when adaptive_noise()
    at::Tensor augment_p_;    // [] float on the device, used when adaptive_augment()
};

// How many scalars GanStep::launch returns per iteration, and how they fill
// an IterationMetrics: losses, D outputs, accuracies, the noise and the
// augmentation share; `finite` from the losses.
inline constexpr int kStepScalars = 9;
void read_step_scalars(const double* scalars, IterationMetrics& m);

// Converts every 4-D parameter and buffer of `module` to channels-last memory
// format in place (LibTorch's Module::to has no memory-format overload).
void to_channels_last(torch::nn::Module& module);

} // namespace latentlab
