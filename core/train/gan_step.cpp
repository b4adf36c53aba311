// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/gan_step.h"

#include <algorithm>
#include <cmath>

#include <ATen/ops/empty.h>
#include <ATen/ops/full.h>
#include <ATen/ops/randn.h>
#include <ATen/ops/stack.h>
#include <torch/autograd.h>

#include "common/error.h"
#include "train/autocast_scope.h"
#include "train/draw_options.h"

namespace latentlab {
namespace {

void set_requires_grad(torch::nn::Module& module, bool value) {
    for (auto& p : module.parameters()) p.requires_grad_(value);
}

} // namespace

void to_channels_last(torch::nn::Module& module) {
    torch::NoGradGuard no_grad;
    for (auto& p : module.parameters())
        if (p.dim() == 4) p.set_data(p.contiguous(at::MemoryFormat::ChannelsLast));
}

GanStep::GanStep(Generator g, Discriminator d, torch::optim::Adam& opt_g, torch::optim::Adam& opt_d,
                 torch::Device device, std::int64_t batch_size, bool channels_last, bool bf16, const Recipe& recipe,
                 bool capturable)
    : g_(std::move(g)), d_(std::move(d)), opt_g_(opt_g), opt_d_(opt_d), device_(device), channels_last_(channels_last),
      bf16_(bf16),
      objective_(recipe.loss, recipe.real_label), augmentations_(parse_augmentations(recipe.augment)),
      instance_noise_(recipe.instance_noise), noise_target_(recipe.noise_target),
      augment_target_(augmentations_.any() ? recipe.augment_target : 0.0), r1_gamma_(recipe.r1_gamma),
      r1_every_(recipe.r1_every) {
    const auto& mc = g_->config();
    auto on_device = at::TensorOptions().dtype(at::kFloat).device(device_);
    real_ = at::empty({batch_size, mc.channels, mc.image_size, mc.image_size}, on_device);
    if (channels_last_) real_ = real_.contiguous(at::MemoryFormat::ChannelsLast);
    noise_ = at::empty({batch_size, mc.nz, 1, 1}, on_device);
    noise_level_ = at::empty({}, on_device);
    set_noise_level(instance_noise_);
    augment_p_ = at::zeros({}, on_device);
    noise_scale_ = at::zeros({}, on_device);
    if (capturable) {
        fused_g_ = std::make_unique<FusedAdam>(opt_g_);
        fused_d_ = std::make_unique<FusedAdam>(opt_d_);
    }
}

void GanStep::count_optimizer_steps() {
    if (fused_g_) fused_g_->count_step();
    if (fused_d_) fused_d_->count_step();
}

void GanStep::reload_optimizers() {
    if (fused_g_) fused_g_->reload();
    if (fused_d_) fused_d_->reload();
}

void GanStep::set_learning_rates(double lr_g, double lr_d) {
    if (fused_g_) fused_g_->set_lr(lr_g);
    if (fused_d_) fused_d_->set_lr(lr_d);
}

void GanStep::step_optimizer(torch::optim::Adam& opt, std::unique_ptr<FusedAdam>& fused) {
    if (fused) fused->step();
    else opt.step();
}

void GanStep::set_noise_level(double level) { noise_level_.fill_(level); }
void GanStep::set_augment_probability(double p) { augment_p_.fill_(p); }

void GanStep::adapt(at::Tensor& level, double target, const at::Tensor& accuracy_real,
                    const at::Tensor& accuracy_fake) const {
    // The level moves by the accuracy's distance from the target times the
    // batch's share of kAdjustImages: a persistent miss of 0.2 moves it by
    // 0.2 in 10,000 images.
    constexpr double kAdjustImages = 10000.0;
    torch::NoGradGuard no_grad;
    const double rate = static_cast<double>(real_.size(0)) / kAdjustImages;
    level.add_((accuracy_real + accuracy_fake).mul(0.5).sub_(target).mul_(rate)).clamp_(0.0, 1.0);
}

at::Tensor GanStep::d_input(const at::Tensor& images, at::Generator& rng, bool noisy) {
    at::Tensor x = augment(images, augmentations_, rng);
    if (adaptive_augment()) {
        // Each image augmented with probability p, the rest as they are (the
        // augmentation's parameters are drawn for all, so the RNG stream does
        // not depend on p).
        const at::Tensor draw = at::rand({x.size(0), 1, 1, 1}, rng, draw_options(rng, at::kFloat)).to(x.device());
        x = at::where(draw < augment_p_, x, images);
    }
    if (noisy) {
        at::Tensor noise = at::randn(x.sizes(), rng, draw_options(rng, at::kFloat)).to(x.device());
        if (adaptive_noise()) noise.mul_(noise_level_);
        x = x + noise.mul_(noise_scale_);
    }
    if (channels_last_) x = x.contiguous(at::MemoryFormat::ChannelsLast);
    return x;
}

at::Tensor GanStep::discriminate(const at::Tensor& images) {
    const AutocastScope autocast(device_.type(), bf16_);
    return d_->forward(images).to(at::kFloat);
}

at::Tensor GanStep::generate_fakes() {
    const AutocastScope autocast(device_.type(), bf16_);
    return g_->forward(noise_).to(at::kFloat);
}

GanStep::Plan GanStep::plan(double progress, std::int64_t iteration) const {
    // Fixed: the std, fading from the recipe's value to 0 over the run. Adaptive:
    // the level's share, 1 until the run's last kNoiseFadeShare, then fading to 0,
    // so that the generator's last images are judged without noise.
    constexpr double kNoiseFadeShare = 0.25;
    Plan p;
    p.noise_scale = adaptive_noise() ? std::clamp((1.0 - progress) / kNoiseFadeShare, 0.0, 1.0)
                                     : instance_noise_ * std::max(0.0, 1.0 - progress);
    // Lazy R1 (Karras et al. 2020): on every r1_every-th iteration only, with
    // its weight multiplied by the interval, so that it pulls as hard on average.
    p.r1 = r1_gamma_ > 0.0 && iteration % r1_every_ == 0;
    return p;
}

void GanStep::stage(const at::Tensor& real, const Plan& plan) {
    real_.copy_(real, /*non_blocking=*/true);
    noise_scale_.fill_(plan.noise_scale);
}

at::Tensor GanStep::launch(const at::Tensor& real, at::Generator& rng, double progress, std::int64_t iteration) {
    const Plan p = plan(progress, iteration);
    stage(real, p);
    at::Tensor scalars = run(rng, p);
    count_optimizer_steps();
    return scalars;
}

at::Tensor GanStep::run(at::Generator& rng, const Plan& plan) {
    if (rng.device().type() != device_.type())
        throw Error("the training step runs on " + device_.str() + " but was given a generator on " + rng.device().str());
    noise_.normal_(0.0, 1.0, rng);
    const bool noisy = plan.noise_scale > 0.0;

    // Discriminator: real batch, then a separate fake batch.
    opt_d_.zero_grad();
    at::Tensor real_in = d_input(real_, rng, noisy);
    if (plan.r1) real_in = real_in.detach().requires_grad_(true);
    const at::Tensor real_logits = discriminate(real_in);
    const at::Tensor loss_real = objective_.d_real(real_logits);
    if (plan.r1) {
        // R1: the squared norm of D's gradient at each image D sees as real,
        // so that D cannot rise steeply around the data.
        const at::Tensor grad = torch::autograd::grad({real_logits.sum()}, {real_in}, {}, /*retain_graph=*/true,
                                                      /*create_graph=*/true)[0];
        (loss_real + grad.square().sum({1, 2, 3}).mean() * (0.5 * r1_gamma_ * r1_every_)).backward();
    } else {
        loss_real.backward();
    }
    const at::Tensor fake = generate_fakes();
    const at::Tensor fake_logits = discriminate(d_input(fake.detach(), rng, noisy));
    const at::Tensor loss_fake = objective_.d_fake(fake_logits);
    loss_fake.backward();
    step_optimizer(opt_d_, fused_d_);

    // Generator: fakes judged by the updated D as if they were real.
    opt_g_.zero_grad();
    set_requires_grad(*d_, false);
    const at::Tensor fake_logits_after = discriminate(d_input(fake, rng, noisy));
    const at::Tensor loss_g = objective_.g(fake_logits_after);
    loss_g.backward();
    set_requires_grad(*d_, true);
    step_optimizer(opt_g_, fused_g_);

    // Every scalar in one tensor on the device; nothing here waits for the device.
    torch::NoGradGuard no_grad;
    const at::Tensor accuracy_real = (real_logits > 0).to(at::kFloat).mean();
    const at::Tensor accuracy_fake = (fake_logits < 0).to(at::kFloat).mean();
    const auto on_device = noise_level_.options();
    const at::Tensor scalars =
        at::stack({loss_real + loss_fake, loss_g, real_logits.sigmoid().mean(), fake_logits.sigmoid().mean(),
                   fake_logits_after.sigmoid().mean(), accuracy_real, accuracy_fake,
                   adaptive_noise() ? noise_level_ * noise_scale_ : noise_scale_,
                   adaptive_augment() ? augment_p_
                                      : at::full({}, augmentations_.any() ? 1.0 : 0.0, on_device)})
            .to(at::kDouble);
    // After the stack copied the levels used.
    if (adaptive_noise()) adapt(noise_level_, noise_target_, accuracy_real, accuracy_fake);
    if (adaptive_augment()) adapt(augment_p_, augment_target_, accuracy_real, accuracy_fake);
    return scalars;
}

void read_step_scalars(const double* s, IterationMetrics& m) {
    m.loss_d = s[0];
    m.loss_g = s[1];
    m.d_x = s[2];
    m.d_g_z1 = s[3];
    m.d_g_z2 = s[4];
    m.accuracy_real = s[5];
    m.accuracy_fake = s[6];
    m.instance_noise = s[7];
    m.augment_p = s[8];
    m.finite = std::isfinite(m.loss_d) && std::isfinite(m.loss_g);
}

} // namespace latentlab
