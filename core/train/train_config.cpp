// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/train_config.h"

#include <algorithm>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/memory.h"
#include "common/setting_ranges.h"
#include "data/data_source.h"

namespace latentlab {
namespace {

template <typename T>
void read(const nlohmann::json& j, const char* key, T& into) {
    if (!j.contains(key)) return;
    // nlohmann converts 1.5 to an int silently; a whole-number setting must be written as one.
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>)
        if (!j.at(key).is_number_integer())
            throw Error(std::string("config value '") + key + "' must be a whole number: " + j.at(key).dump());
    try {
        into = j.at(key).get<T>();
    } catch (const nlohmann::json::exception&) {
        throw Error(std::string("config value '") + key + "' has the wrong type: " + j.at(key).dump());
    }
}

// Throws "WHAT 'VALUE' is not known (use A, B or C)" unless `value` is one of `allowed`.
void require_one_of(const std::string& what, const std::string& value, const std::vector<std::string>& allowed) {
    if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return;
    std::string list;
    for (std::size_t i = 0; i < allowed.size(); ++i)
        list += (i == 0 ? "" : i + 1 == allowed.size() ? " or " : ", ") + allowed[i];
    throw Error(what + " '" + value + "' is not known (use " + list + ")");
}

} // namespace

TrainConfig::TrainConfig() { use_recipe(kDefaultRecipe); }

void TrainConfig::use_recipe(const std::string& name) {
    apply_recipe(name, recipe, model.d_norm);
    recipe_name = name;
}

const std::vector<std::string>& data_placements() {
    static const std::vector<std::string> values{"auto", "host", "device"};
    return values;
}

const std::vector<std::string>& precisions() {
    static const std::vector<std::string> values{"auto", "fp32", "bf16"};
    return values;
}

void TrainConfig::validate() const {
    if (data.empty()) throw Error("no data source given");
    if (!channels_auto) model.validate();
    else {
        ModelConfig probe = model;
        probe.channels = 3;
        probe.validate();
    }
    require_in_range("epochs", epochs);
    require_in_range("batch_size", batch_size);
    require_in_range("lr", lr);
    require_in_range("beta1", beta1);
    require_in_range("beta2", beta2);
    require_in_range("workers", workers);
    require_one_of("data placement", data_placement, data_placements());
    require_one_of("precision", precision, precisions());
    require_in_range("threads", threads);
    require_in_range("sample_every", sample_every);
    require_in_range("log_every", log_every);
    require_in_range("live_sample_seconds", live_sample_seconds);
    require_in_range("keep_checkpoints", keep_checkpoints);
    require_in_range("sample_count", sample_count);
    require_in_range("pairs", pairs);
    recipe.validate();
    std::uint64_t images = 0, batches = 0;
    const std::uint64_t need = memory_needed(&images, &batches);
    std::string what = "batch size " + std::to_string(batch_size) + " at " + std::to_string(model.image_size) + " px";
    if (images > 0)
        what += " with data '" + data + "' (decoded images " + format_bytes(images) + ", float32 batches " +
                format_bytes(batches) + ")";
    else
        what += " (float32 batches " + format_bytes(batches) + ")";
    require_memory(need, what);
}

std::uint64_t TrainConfig::memory_needed(std::uint64_t* image_bytes, std::uint64_t* batch_bytes) const {
    const int channels = channels_auto ? 3 : model.channels;
    std::uint64_t images = 0;
    if (const std::optional<DataSpec> generated = parse_generated_data_spec(data))
        images = generated_data_bytes(*generated, load_size(), channels);
    const auto side = static_cast<std::uint64_t>(std::max(model.image_size, 0));
    const std::uint64_t alive = static_cast<std::uint64_t>(kPrefetchBatches) + 1 + static_cast<std::uint64_t>(std::max(pairs, 1));
    std::uint64_t batches = 0;
    if (!multiply_fits(side * side * static_cast<std::uint64_t>(channels) * sizeof(float),
                       static_cast<std::uint64_t>(std::max(batch_size, 0)) * alive, batches))
        batches = UINT64_MAX;
    if (image_bytes) *image_bytes = images;
    if (batch_bytes) *batch_bytes = batches;
    return images > UINT64_MAX - batches ? UINT64_MAX : images + batches;
}

int TrainConfig::load_size() const {
    constexpr int kCropMarginDivisor = 8;  // random crops come from a cache 1/8 larger
    return random_crop ? model.image_size + model.image_size / kCropMarginDivisor : model.image_size;
}

nlohmann::json to_json(const TrainConfig& c) {
    return nlohmann::json{
        {"data", c.data},
        {"run_dir", c.run_dir},
        {"image_size", c.model.image_size},
        {"channels", c.channels_auto ? nlohmann::json("auto") : nlohmann::json(c.model.channels)},
        {"resolved_channels", c.model.channels},
        {"nz", c.model.nz},
        {"ngf", c.model.ngf},
        {"ndf", c.model.ndf},
        {"epochs", c.epochs},
        {"batch_size", c.batch_size},
        {"lr", c.lr},
        {"beta1", c.beta1},
        {"beta2", c.beta2},
        {"seed", c.seed},
        {"device", c.device},
        {"workers", c.workers},
        {"data_placement", c.data_placement},
        {"precision", c.precision},
        {"cuda_graphs", c.cuda_graphs},
        {"threads", c.threads},
        {"sample_every", c.sample_every},
        {"log_every", c.log_every},
        {"live_sample_seconds", c.live_sample_seconds},
        {"keep_checkpoints", c.keep_checkpoints},
        {"sample_count", c.sample_count},
        {"flip", c.flip},
        {"random_crop", c.random_crop},
        {"pause_on_nonfinite", c.pause_on_nonfinite},
        {"tensorboard", c.tensorboard},
        {"pairs", c.pairs},
        {"recipe", c.recipe_name},
        {"d_norm", to_string(c.model.d_norm)},
        {"loss", to_string(c.recipe.loss)},
        {"d_lr_scale", c.recipe.d_lr_scale},
        {"real_label", c.recipe.real_label},
        {"instance_noise", c.recipe.instance_noise},
        {"noise_target", c.recipe.noise_target},
        {"augment_target", c.recipe.augment_target},
        {"augment", c.recipe.augment},
        {"r1_gamma", c.recipe.r1_gamma},
        {"r1_every", c.recipe.r1_every},
        {"ema", c.recipe.ema},
        {"ema_halflife", c.recipe.ema_halflife},
        {"ema_rampup", c.recipe.ema_rampup},
    };
}

TrainConfig train_config_from_json(const nlohmann::json& j) {
    if (!j.is_object()) throw Error("a training config must be a JSON object");
    TrainConfig c;
    c.use_recipe("dcgan");  // what every config before recipes trained
    read(j, "data", c.data);
    read(j, "run_dir", c.run_dir);
    read(j, "image_size", c.model.image_size);
    if (j.contains("channels") && j.at("channels").is_string()) {
        c.channels_auto = j.at("channels").get<std::string>() == "auto";
        read(j, "resolved_channels", c.model.channels);
    } else if (j.contains("channels")) {
        c.channels_auto = false;
        read(j, "channels", c.model.channels);
    }
    read(j, "nz", c.model.nz);
    read(j, "ngf", c.model.ngf);
    read(j, "ndf", c.model.ndf);
    read(j, "epochs", c.epochs);
    read(j, "batch_size", c.batch_size);
    read(j, "lr", c.lr);
    read(j, "beta1", c.beta1);
    read(j, "beta2", c.beta2);
    read(j, "seed", c.seed);
    read(j, "device", c.device);
    read(j, "workers", c.workers);
    read(j, "data_placement", c.data_placement);
    // A run saved before the setting existed trained in float32.
    c.precision = "fp32";
    read(j, "precision", c.precision);
    read(j, "cuda_graphs", c.cuda_graphs);
    read(j, "threads", c.threads);
    read(j, "sample_every", c.sample_every);
    read(j, "log_every", c.log_every);
    read(j, "live_sample_seconds", c.live_sample_seconds);
    read(j, "keep_checkpoints", c.keep_checkpoints);
    read(j, "sample_count", c.sample_count);
    read(j, "flip", c.flip);
    read(j, "random_crop", c.random_crop);
    read(j, "pause_on_nonfinite", c.pause_on_nonfinite);
    read(j, "tensorboard", c.tensorboard);
    read(j, "pairs", c.pairs);
    read(j, "recipe", c.recipe_name);
    std::string d_norm = to_string(c.model.d_norm), loss = to_string(c.recipe.loss);
    read(j, "d_norm", d_norm);
    read(j, "loss", loss);
    c.model.d_norm = parse_discriminator_norm(d_norm);
    c.recipe.loss = parse_gan_loss(loss);
    read(j, "d_lr_scale", c.recipe.d_lr_scale);
    read(j, "real_label", c.recipe.real_label);
    read(j, "instance_noise", c.recipe.instance_noise);
    read(j, "noise_target", c.recipe.noise_target);
    read(j, "augment_target", c.recipe.augment_target);
    read(j, "augment", c.recipe.augment);
    read(j, "r1_gamma", c.recipe.r1_gamma);
    read(j, "r1_every", c.recipe.r1_every);
    read(j, "ema", c.recipe.ema);
    read(j, "ema_halflife", c.recipe.ema_halflife);
    read(j, "ema_rampup", c.recipe.ema_rampup);
    return c;
}

} // namespace latentlab
