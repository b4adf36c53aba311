// SPDX-License-Identifier: GPL-3.0-or-later
#include "latent/projection.h"

#include <algorithm>
#include <cmath>
#include <string>

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/ATen.h>
#include <torch/utils.h>
#include <torch/optim/adam.h>

#include "common/error.h"

namespace latentlab {
namespace {

constexpr double kFeatureEpsilon = 1e-8;   // keeps the relative feature distance finite for blank features
constexpr double kWarmupFraction = 0.05;   // share of the steps over which the learning rate rises
constexpr std::int64_t kScoreChunk = 256;  // restart candidates scored per forward pass
constexpr int kMaxSteps = 1000000;
constexpr int kMaxRestarts = 4096;

// Puts a module in evaluation mode with no parameter requiring a gradient,
// and puts both back as they were when it goes out of scope.
class Frozen {
public:
    explicit Frozen(torch::nn::Module* module) : module_(module) {
        if (!module_) return;
        was_training_ = module_->is_training();
        for (at::Tensor& p : module_->parameters()) {
            requires_grad_.push_back(p.requires_grad());
            p.set_requires_grad(false);
        }
        module_->eval();
    }
    ~Frozen() {
        if (!module_) return;
        auto params = module_->parameters();
        for (std::size_t i = 0; i < params.size() && i < requires_grad_.size(); ++i)
            params[i].set_requires_grad(requires_grad_[i]);
        module_->train(was_training_);
    }
    Frozen(const Frozen&) = delete;
    Frozen& operator=(const Frozen&) = delete;

private:
    torch::nn::Module* module_;
    bool was_training_ = false;
    std::vector<bool> requires_grad_;
};

// The per-image loss terms of latents z against their target images.
struct Terms {
    at::Tensor mse;    // [N]
    at::Tensor total;  // [N], without the prior
    at::Tensor images; // G(z)
};

class Objective {
public:
    Objective(Generator& g, Discriminator& d, const at::Tensor& targets, double feature_weight)
        : g_(g), d_(d), targets_(targets), feature_weight_(d.is_empty() ? 0.0 : feature_weight) {
        if (feature_weight_ > 0.0) {
            torch::NoGradGuard no_grad;
            target_features_ = d_->features(targets_);
            for (const at::Tensor& f : target_features_) target_energy_.push_back(f.pow(2).flatten(1).mean(1));
        }
    }

    // Losses of latents `z` ([M, nz]) against the targets at rows `rows` ([M]),
    // or against all targets in order when `rows` is undefined.
    Terms operator()(const at::Tensor& z, const at::Tensor& rows = {}) const {
        const auto pick = [&](const at::Tensor& t) { return rows.defined() ? t.index_select(0, rows) : t; };
        const at::Tensor images = g_->forward(z);
        Terms t;
        t.images = images;
        t.mse = per_image_mse(images, pick(targets_));
        t.total = t.mse;
        if (feature_weight_ > 0.0) {
            const std::vector<at::Tensor> features = d_->features(images);
            at::Tensor distance = at::zeros_like(t.mse);
            for (std::size_t l = 0; l < features.size(); ++l) {
                const at::Tensor diff = (features[l] - pick(target_features_[l])).pow(2).flatten(1).mean(1);
                distance = distance + diff / (pick(target_energy_[l]) + kFeatureEpsilon);
            }
            t.total = t.total + distance * (feature_weight_ / static_cast<double>(features.size()));
        }
        return t;
    }

private:
    Generator& g_;
    Discriminator& d_;
    at::Tensor targets_;
    double feature_weight_;
    std::vector<at::Tensor> target_features_, target_energy_;
};

// For each image, the best of `restarts` latents drawn from N(0, 1) with `seed`.
at::Tensor best_restarts(const Objective& objective, std::int64_t images, std::int64_t nz, int restarts,
                         std::uint64_t seed, c10::Device device) {
    torch::NoGradGuard no_grad;
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    const std::int64_t total = images * restarts;
    const at::Tensor candidates = at::empty({total, nz}, at::kFloat).normal_(0.0, 1.0, gen).to(device);
    const at::Tensor owner = at::arange(images, at::TensorOptions().dtype(at::kLong).device(device))
                                 .repeat_interleave(restarts);  // candidate -> image
    std::vector<at::Tensor> losses;
    for (std::int64_t start = 0; start < total; start += kScoreChunk) {
        const std::int64_t count = std::min(kScoreChunk, total - start);
        losses.push_back(objective(candidates.narrow(0, start, count), owner.narrow(0, start, count)).total);
    }
    const at::Tensor best = at::cat(losses).view({images, restarts}).argmin(1);
    const at::Tensor rows = at::arange(images, owner.options()) * restarts + best;
    return candidates.index_select(0, rows);
}

// Cosine decay to zero after a short linear warm-up.
double learning_rate_at(int step, int steps, double peak) {
    constexpr double kPi = 3.14159265358979323846;
    const double warmup = std::max(1.0, kWarmupFraction * steps);
    const double rise = std::min(1.0, (step + 1) / warmup);
    return peak * rise * 0.5 * (1.0 + std::cos(kPi * step / steps));
}

std::vector<double> to_doubles(const at::Tensor& t) {
    const at::Tensor c = t.detach().to(at::kCPU, at::kDouble).contiguous();
    return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
}

std::string shape_text(const at::Tensor& t) {
    if (!t.defined()) return "none";
    std::string text = "[";
    for (std::int64_t d = 0; d < t.dim(); ++d) text += (d ? ", " : "") + std::to_string(t.size(d));
    return text + "]";
}

void check(const ProjectionOptions& o, const ModelConfig& model, const at::Tensor& images) {
    if (o.steps < 0 || o.steps > kMaxSteps)
        throw Error("projection: steps " + std::to_string(o.steps) + " is out of range (0.." + std::to_string(kMaxSteps) + ")");
    if (o.restarts < 1 || o.restarts > kMaxRestarts)
        throw Error("projection: restarts " + std::to_string(o.restarts) + " is out of range (1.." +
                    std::to_string(kMaxRestarts) + ")");
    if (!(o.learning_rate > 0.0) || !std::isfinite(o.learning_rate))
        throw Error("projection: the learning rate must be a positive number");
    if (!(o.feature_weight >= 0.0) || !(o.prior_weight >= 0.0) || !std::isfinite(o.feature_weight) ||
        !std::isfinite(o.prior_weight))
        throw Error("projection: the loss weights must be non-negative numbers");
    const auto expected = "[N, " + std::to_string(model.channels) + ", " + std::to_string(model.image_size) + ", " +
                          std::to_string(model.image_size) + "]";
    if (!images.defined() || images.dim() != 4 || images.size(0) < 1 || images.size(1) != model.channels ||
        images.size(2) != model.image_size || images.size(3) != model.image_size)
        throw Error("projection: the images must be " + expected + " for this generator, got " + shape_text(images));
}

} // namespace

at::Tensor per_image_mse(const at::Tensor& a, const at::Tensor& b) {
    return (a - b).pow(2).flatten(1).mean(1);
}

Projection project(Generator& generator, Discriminator discriminator, const at::Tensor& images,
                   const ProjectionOptions& options, const ProjectionProgress& progress) {
    const ModelConfig& model = generator->config();
    check(options, model, images);
    torch::AutoGradMode grad_mode(true);  // a caller's NoGradGuard would stop the descent
    const Frozen frozen_g(generator.get());
    const Frozen frozen_d(discriminator.is_empty() ? nullptr : discriminator.get());
    const c10::Device device = generator->parameters().front().device();
    if (!discriminator.is_empty() && discriminator->parameters().front().device() != device)
        throw Error("projection: the discriminator is on " + discriminator->parameters().front().device().str() +
                    " but the generator on " + device.str());

    const at::Tensor targets = images.detach().to(device, at::kFloat).contiguous();
    const std::int64_t n = targets.size(0);
    const Objective objective(generator, discriminator, targets, options.feature_weight);

    Projection result;
    at::Tensor z = best_restarts(objective, n, model.nz, options.restarts, options.seed, device);
    {
        torch::NoGradGuard no_grad;
        result.start_mse = to_doubles(objective(z).mse);
    }

    z = z.clone().set_requires_grad(true);
    torch::optim::Adam adam({z}, torch::optim::AdamOptions(options.learning_rate));
    auto& adam_options = static_cast<torch::optim::AdamOptions&>(adam.param_groups().at(0).options());
    const double typical_norm = std::sqrt(static_cast<double>(model.nz));
    for (int step = 0; step < options.steps; ++step) {
        adam_options.lr(learning_rate_at(step, options.steps, options.learning_rate));
        adam.zero_grad();
        const Terms terms = objective(z);
        const at::Tensor prior = (z.norm(2, 1) / typical_norm - 1.0).pow(2) * options.prior_weight;
        (terms.total + prior).sum().backward();
        adam.step();
        result.steps_done = step + 1;
        if (progress && !progress({step + 1, options.steps, terms.mse.mean().item<double>(), terms.images.detach()})) {
            result.cancelled = true;
            break;
        }
    }

    torch::NoGradGuard no_grad;
    result.latents = z.detach().to(at::kCPU).contiguous();
    const at::Tensor drawn = generator->forward(z.detach());
    result.final_mse = to_doubles(per_image_mse(drawn, targets));
    result.reconstructions = drawn.to(at::kCPU).contiguous();
    return result;
}

} // namespace latentlab
