// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/gan_pair.h"

#include <torch/utils.h>

#include "checkpoint/checkpoint_file.h"
#include "models/init.h"

namespace latentlab {
namespace {

torch::optim::AdamOptions& adam_options(torch::optim::Adam& opt) {
    return static_cast<torch::optim::AdamOptions&>(opt.param_groups().at(0).options());
}

} // namespace

GanPair::GanPair(const TrainConfig& config, std::uint64_t seed, c10::Device device, bool channels_last, bool bf16)
    : ema_halflife_(config.recipe.ema_halflife), ema_rampup_(config.recipe.ema_rampup), batch_size_(config.batch_size) {
    // Weights are drawn from the default generator, seeded by the pair's seed.
    torch::manual_seed(seed);
    g_ = Generator(config.model);
    d_ = Discriminator(config.model);
    init_dcgan_weights(*g_);
    init_dcgan_weights(*d_);
    g_->to(device);
    d_->to(device);
    if (channels_last) {
        latentlab::to_channels_last(*g_);
        latentlab::to_channels_last(*d_);
    }
    const auto adam = torch::optim::AdamOptions(config.lr).betas({config.beta1, config.beta2});
    opt_g_ = std::make_unique<torch::optim::Adam>(g_->parameters(), adam);
    opt_d_ = std::make_unique<torch::optim::Adam>(d_->parameters(), adam);
    set_hyperparameters(config.lr, config.beta1, config.recipe.d_lr_scale);
    if (config.recipe.ema) ema_ = std::make_unique<GeneratorEma>(g_);
    step_ = std::make_unique<GanStep>(g_, d_, *opt_g_, *opt_d_, device, config.batch_size, channels_last, bf16,
                                    config.recipe);
}

at::Tensor GanPair::step(const at::Tensor& real, at::Generator& rng, double progress, std::int64_t iteration) {
    at::Tensor scalars = step_->launch(real, rng, progress, iteration);
    const std::int64_t images_seen = (iteration + 1) * batch_size_;
    if (ema_) ema_->update(g_, GeneratorEma::decay_for(ema_halflife_, ema_rampup_, batch_size_, images_seen));
    return scalars;
}

void GanPair::set_hyperparameters(double lr, double beta1, double d_lr_scale) {
    lr_ = lr;
    beta1_ = beta1;
    d_lr_scale_ = d_lr_scale;
    for (auto* opt : {opt_g_.get(), opt_d_.get()}) {
        auto& o = adam_options(*opt);
        if (opt == opt_d_.get()) o.lr(lr * d_lr_scale);
        else o.lr(frozen_ ? 0.0 : lr);
        o.betas({beta1, std::get<1>(o.betas())});
    }
}

std::pair<double, double> GanPair::learning_rates() const {
    return {adam_options(*opt_g_).lr(), adam_options(*opt_d_).lr()};
}

void GanPair::save(CheckpointWriter& w, const std::string& prefix) const {
    w.add_module(prefix + "generator", *g_);
    w.add_module(prefix + "discriminator", *d_);
    if (ema_) w.add_module(prefix + "generator_ema", *ema_->average());
    w.add_optimizer(prefix + "optimizer_g", *opt_g_);
    w.add_optimizer(prefix + "optimizer_d", *opt_d_);
    if (step_->adaptive_noise()) w.add_tensor(prefix + "noise_level", step_->noise_level().reshape({1}).cpu());
    if (step_->adaptive_augment())
        w.add_tensor(prefix + "augment_p", step_->augment_probability().reshape({1}).cpu());
}

void GanPair::load(CheckpointReader& reader, const std::string& prefix) {
    reader.load_module(prefix + "generator", *g_);
    reader.load_module(prefix + "discriminator", *d_);
    if (ema_) reader.load_module(prefix + "generator_ema", *ema_->average());
    reader.load_optimizer(prefix + "optimizer_g", *opt_g_);
    reader.load_optimizer(prefix + "optimizer_d", *opt_d_);
    if (step_->adaptive_noise())
        step_->set_noise_level(reader.tensor(prefix + "noise_level", at::kFloat, std::vector<std::int64_t>{1}).item<double>());
    if (step_->adaptive_augment())
        step_->set_augment_probability(
            reader.tensor(prefix + "augment_p", at::kFloat, std::vector<std::int64_t>{1}).item<double>());
}

void GanPair::to_channels_last() {
    latentlab::to_channels_last(*g_);
    latentlab::to_channels_last(*d_);
    if (ema_) latentlab::to_channels_last(*ema_->average());
}

bool GanPair::weights_finite() const {
    torch::NoGradGuard no_grad;
    for (const torch::nn::Module* module : {static_cast<const torch::nn::Module*>(g_.get()), static_cast<const torch::nn::Module*>(d_.get())})
        for (const auto& p : module->parameters())
            if (!p.isfinite().all().item<bool>()) return false;
    return true;
}

void GanPair::train_mode() {
    g_->train();
    d_->train();
}

} // namespace latentlab
