// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include <ATen/core/Tensor.h>

#include "models/discriminator.h"
#include "models/generator.h"

namespace latentlab {

// Projection: finding the latent z whose generated image G(z) reconstructs a
// given image, by gradient descent on z through the frozen generator.
//
// For every image, `restarts` random latents (N(0, 1), drawn from a generator
// seeded with `seed`) are scored and the best becomes the starting point. Then
// Adam moves all the images' latents together for `steps` steps, the learning
// rate rising linearly over the first steps and falling to zero on a cosine.
// The loss of one image is
//     pixel MSE
//   + feature_weight * mean over D's layers of |D_l(G(z)) - D_l(x)|^2 / |D_l(x)|^2
//   + prior_weight * (|z| / sqrt(nz) - 1)^2
// where the feature term needs a discriminator and the prior keeps |z| near
// the norm latents drawn from N(0, 1) have. Each image's loss depends on its
// own latent only (both models run in evaluation mode), so the images of a
// batch do not affect each other.
struct ProjectionOptions {
    int steps = 300;                // Adam steps after the restarts (0: the best restart only)
    int restarts = 16;              // random starting latents scored per image (>= 1)
    std::uint64_t seed = 0;         // seeds the starting latents; the result is a function of it
    double learning_rate = 0.1;     // Adam's peak learning rate
    double feature_weight = 0.05;   // weight of D's feature distance (ignored without a discriminator)
    double prior_weight = 0.01;     // weight of the latent-norm prior
};

// What the progress callback sees after every step.
struct ProjectionStep {
    int step = 0;            // the step just done, 1..steps
    int steps = 0;           // the total
    double mean_mse = 0.0;   // mean pixel MSE of the batch before this step's update
    at::Tensor images;       // G(z) before this step's update: [N, C, S, S] in [-1, 1], detached, on the models' device
};
// Returning false stops the projection; the latents reached so far are returned.
using ProjectionProgress = std::function<bool(const ProjectionStep& step)>;

struct Projection {
    at::Tensor latents;                // [N, nz] float32 on the CPU
    at::Tensor reconstructions;        // G(latents): [N, C, S, S] in [-1, 1], float32 on the CPU
    std::vector<double> start_mse;     // per image: pixel MSE of the best random restart
    std::vector<double> final_mse;     // per image: pixel MSE of `latents`
    int steps_done = 0;
    bool cancelled = false;
};

// Projects `images` ([N, C, S, S] in [-1, 1], the generator's channels and
// size; any device) into the latent space of `generator`. `discriminator` may
// be empty (nullptr); it then adds no feature term. Both models are used in
// evaluation mode on the device of the generator's weights; their weights get
// no gradient, and their training flags and requires-grad flags are restored
// before returning. The result depends only on the models, the images and the
// options. Throws latentlab::Error for images of the wrong shape or options
// out of range.
Projection project(Generator& generator, Discriminator discriminator, const at::Tensor& images,
                   const ProjectionOptions& options, const ProjectionProgress& progress = {});

// Per-image pixel MSE between two batches of the same shape: [N] float32.
at::Tensor per_image_mse(const at::Tensor& a, const at::Tensor& b);

} // namespace latentlab
