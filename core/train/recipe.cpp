// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/recipe.h"

#include "common/error.h"
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
    if (!(d_lr_scale > 0.0 && d_lr_scale <= 100.0))
        throw Error("D learning-rate scale " + std::to_string(d_lr_scale) + " is out of range (0..100]");
    if (!(real_label > 0.5 && real_label <= 1.0))
        throw Error("real label " + std::to_string(real_label) + " is out of range (0.5..1]");
    if (!(instance_noise >= 0.0 && instance_noise <= 2.0))
        throw Error("instance noise " + std::to_string(instance_noise) + " is out of range [0..2]");
    if (!valid_noise_target(noise_target))
        throw Error("noise target " + std::to_string(noise_target) + " is out of range (0 for off, or [0.5..1))");
    if (!(ema_halflife >= 0.0 && ema_halflife <= 1e9))
        throw Error("EMA half-life " + std::to_string(ema_halflife) + " images is out of range [0..1e9]");
    if (!(ema_rampup >= 0.0 && ema_rampup <= 1.0))
        throw Error("EMA ramp-up " + std::to_string(ema_rampup) + " is out of range [0..1]");
    parse_augmentations(augment);
}

bool valid_noise_target(double target) { return target == 0.0 || (target >= 0.5 && target < 1.0); }

bool operator==(const Recipe& a, const Recipe& b) {
    return a.loss == b.loss && a.d_lr_scale == b.d_lr_scale && a.real_label == b.real_label &&
           a.instance_noise == b.instance_noise && a.noise_target == b.noise_target && a.augment == b.augment && a.ema == b.ema &&
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
        d_norm = DiscriminatorNorm::Batch;
    } else {
        throw Error("recipe '" + name + "' is not known (use stable or dcgan)");
    }
}

} // namespace latentlab
