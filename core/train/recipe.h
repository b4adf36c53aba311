// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "models/model_config.h"

namespace latentlab {

// The discriminator's and generator's objective, computed from D's logits.
enum class GanLoss {
    NonSaturating,  // binary cross entropy; G maximises log D(G(z)) (the lecture's)
    Hinge,          // D: relu(1 - real) + relu(1 + fake); G: -D(G(z))
};

std::string to_string(GanLoss loss);
// "bce" or "hinge"; throws latentlab::Error naming the value otherwise.
GanLoss parse_gan_loss(const std::string& text);

// What a training step does besides the lecture's DCGAN. Each field is one
// technique from the literature, off at its default value; a named recipe
// (below) is a set of them.
struct Recipe {
    GanLoss loss = GanLoss::NonSaturating;
    double d_lr_scale = 1.0;      // D's learning rate = lr x this: a two time-scale update when not 1
    double real_label = 1.0;      // BCE target for real images; below 1 is one-sided label smoothing
    double instance_noise = 0.0;  // std of Gaussian noise added to every image D sees, annealed to 0 over the run
    double noise_target = 0.0;    // when > 0: the noise adapts to hold D's accuracy here, fading over the last quarter
    std::string augment;          // differentiable augmentation of D's inputs: "" or translation,cutout,color
    double augment_target = 0.0;  // when > 0: each image is augmented with a probability that adapts to hold D's accuracy here
    double r1_gamma = 0.0;        // R1 penalty: gamma / 2 * |grad_x D(x)|^2 on real images, added to D's loss
    int r1_every = 1;             // lazy R1: the penalty on every k-th iteration only, weighted by k
    bool ema = false;             // keep an exponential moving average of G's weights for sampling
    double ema_halflife = 10000;  // images after which an old weight counts half in the average
    double ema_rampup = 0.05;     // early in a run the half-life is at most this fraction of the images seen (0: no ramp)

    // Throws latentlab::Error naming the first value out of range.
    void validate() const;
};

bool operator==(const Recipe& a, const Recipe& b);

// 0 (off) or a target accuracy in [0.5, 1): what Recipe::validate and the CLI accept.
bool valid_noise_target(double target);

// The named recipes, the default first (measurements in docs/QUALITY.md):
//   stable: EMA of G, instance noise 0.2 fading to 0, the R1 penalty with
//           gamma 1 on every 4th iteration (lazy, weighted 4), batch norm in D
//   dcgan:  the lecture's DCGAN exactly (batch norm in D, BCE, one learning rate, nothing else)
// Spectral norm, augmentation, hinge loss, label smoothing and two time-scales
// stay available one by one; none of them beat `stable` in the measurements.
const std::vector<std::string>& recipe_names();
extern const char* const kDefaultRecipe;

// Sets `recipe` and `d_norm` to the named recipe's values. Throws
// latentlab::Error for a name that is not one of recipe_names().
void apply_recipe(const std::string& name, Recipe& recipe, DiscriminatorNorm& d_norm);

} // namespace latentlab
