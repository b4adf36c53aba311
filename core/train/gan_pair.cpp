// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/gan_pair.h"

#include <utility>

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
    : ema_halflife_(config.recipe.ema_halflife), ema_rampup_(config.recipe.ema_rampup), batch_size_(config.batch_size),
      device_(device) {
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
    if (config.cuda_graphs) {
        if (device.is_cuda()) graphs_on_ = true;
        else give_up_graphs("CUDA graphs need a CUDA device; training on " + device.str() + " runs eagerly");
    }
    step_ = std::make_unique<GanStep>(g_, d_, *opt_g_, *opt_d_, device, config.batch_size, channels_last, bf16,
                                    config.recipe, /*capturable=*/graphs_on_);
}

void GanPair::give_up_graphs(const std::string& why) {
    graphs_on_ = false;
    graphs_.clear();
    graph_notice_ = why;
}

std::string GanPair::take_graph_notice() { return std::exchange(graph_notice_, std::string()); }

at::Tensor GanPair::graphed_step(const at::Tensor& real, at::Generator& rng, double progress, std::int64_t iteration) {
    const GanStep::Plan plan = step_->plan(progress, iteration);
    step_->stage(real, plan);
    const int kind = (plan.r1 ? 1 : 0) | (plan.noise_scale > 0.0 ? 2 : 0);
    at::Tensor scalars;
    if (auto it = graphs_.find(kind); it != graphs_.end()) {
        it->second.graph->replay();
        scalars = it->second.output;
    } else if (eager_iterations_ < kEagerIterations) {
        scalars = step_->run(rng, plan);
        ++eager_iterations_;
    } else {
        std::string why;
        std::unique_ptr<StepGraph> graph = make_step_graph(device_, why);
        if (!graph) {
            give_up_graphs(why + "; training runs eagerly");
            scalars = step_->run(rng, plan);
        } else {
            try {
                at::Tensor output = graph->capture([&] { return step_->run(rng, plan); }, rng, scalars);
                graphs_[kind] = Recorded{std::move(graph), output};
            } catch (const std::exception& e) {
                give_up_graphs(std::string("recording the training step in a CUDA graph failed, training runs "
                                           "eagerly: ") + e.what());
                // The real run before the recording did the iteration, unless it was what failed.
                if (!scalars.defined()) scalars = step_->run(rng, plan);
            }
        }
    }
    step_->count_optimizer_steps();
    return scalars;
}

at::Tensor GanPair::step(const at::Tensor& real, at::Generator& rng, double progress, std::int64_t iteration) {
    at::Tensor scalars = graphs_on_ ? graphed_step(real, rng, progress, iteration)
                                    : step_->launch(real, rng, progress, iteration);
    const std::int64_t images_seen = (iteration + 1) * batch_size_;
    if (ema_) ema_->update(g_, GeneratorEma::decay_for(ema_halflife_, ema_rampup_, batch_size_, images_seen));
    return scalars;
}

void GanPair::set_hyperparameters(double lr, double beta1, double d_lr_scale) {
    if (beta1 != beta1_) graphs_.clear();  // a recorded Adam step holds its beta1
    lr_ = lr;
    beta1_ = beta1;
    d_lr_scale_ = d_lr_scale;
    for (auto* opt : {opt_g_.get(), opt_d_.get()}) {
        auto& o = adam_options(*opt);
        if (opt == opt_d_.get()) o.lr(lr * d_lr_scale);
        else o.lr(frozen_ ? 0.0 : lr);
        o.betas({beta1, std::get<1>(o.betas())});
    }
    if (step_) step_->set_learning_rates(adam_options(*opt_g_).lr(), adam_options(*opt_d_).lr());
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
    graphs_.clear();
    step_->reload_optimizers();
}

void GanPair::to_channels_last() {
    latentlab::to_channels_last(*g_);
    latentlab::to_channels_last(*d_);
    if (ema_) latentlab::to_channels_last(*ema_->average());
    graphs_.clear();
    step_->reload_optimizers();
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
