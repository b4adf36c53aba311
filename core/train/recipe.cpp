// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/recipe.h"

#include "common/error.h"
#include "common/setting_ranges.h"
#include "train/diff_augment.h"

namespace latentlab {

const char* const kDefaultRecipe = "stable";

std::string to_string(GanLoss loss) { return loss == GanLoss::Hinge ? "hinge" : "bce"; }

GanLoss parse_gan_loss(const std::string& text) {
    if (text == "bce") return GanLoss::NonSaturating;
    if (text == "hinge") return GanLoss::Hinge;
    throw Error("loss '" + text + "' is not known (use bce or hinge)");
}

void Recipe::validate() const {
    require_in_range("d_lr_scale", d_lr_scale);
    require_in_range("real_label", real_label);
    require_in_range("instance_noise", instance_noise);
    if (!valid_noise_target(noise_target))
        throw Error("noise target " + std::to_string(noise_target) + " is out of range (0 for off, or [0.5..1))");
    if (!valid_noise_target(augment_target))
        throw Error("augment target " + std::to_string(augment_target) + " is out of range (0 for off, or [0.5..1))");
    if (augment_target > 0.0 && !parse_augmentations(augment).any())
        throw Error("an augment target needs augmentations to apply (e.g. --augment translation)");
    require_in_range("r1_gamma", r1_gamma);
    require_in_range("r1_every", r1_every);
    require_in_range("ema_halflife", ema_halflife);
    require_in_range("ema_rampup", ema_rampup);
    parse_augmentations(augment);
}

bool valid_noise_target(double target) { return target == 0.0 || (target >= 0.5 && target < 1.0); }

bool operator==(const Recipe& a, const Recipe& b) {
    return a.loss == b.loss && a.d_lr_scale == b.d_lr_scale && a.real_label == b.real_label &&
           a.instance_noise == b.instance_noise && a.noise_target == b.noise_target && a.augment == b.augment &&
           a.augment_target == b.augment_target && a.r1_gamma == b.r1_gamma && a.r1_every == b.r1_every && a.ema == b.ema &&
           a.ema_halflife == b.ema_halflife && a.ema_rampup == b.ema_rampup;
}

const std::vector<std::string>& recipe_names() {
    static const std::vector<std::string> names{"stable", "dcgan"};
    return names;
}

void apply_recipe(const std::string& name, Recipe& recipe, DiscriminatorNorm& d_norm) {
    if (name == "dcgan") {
        recipe = Recipe{};
        d_norm = DiscriminatorNorm::Batch;
    } else if (name == "stable") {
        recipe = Recipe{};
        recipe.ema = true;
        recipe.instance_noise = 0.2;
        recipe.r1_gamma = 1.0;
        recipe.r1_every = 4;
        d_norm = DiscriminatorNorm::Batch;
    } else {
        throw Error("recipe '" + name + "' is not known (use stable or dcgan)");
    }
}

} // namespace latentlab
