// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <map>
#include <memory>
#include <string>

#include <ATen/core/Generator.h>
#include <torch/optim/adam.h>

#include "models/discriminator.h"
#include "models/generator.h"
#include "train/gan_step.h"
#include "train/generator_ema.h"
#include "train/step_graph.h"
#include "train/train_config.h"

namespace latentlab {

class CheckpointReader;
class CheckpointWriter;

// One generator/discriminator pair with its optimizers, its training step and
// (when the recipe keeps one) the moving average of its generator. A run
// trains one pair, or several on the same data to cross-validate them.
class GanPair {
public:
    // Builds and initialises the models from `seed` (LibTorch's default
    // generator is reseeded with it) on `device`.
    // With `bf16` the step's forward passes run under bfloat16 autocast.
    GanPair(const TrainConfig& config, std::uint64_t seed, c10::Device device, bool channels_last, bool bf16);

    // One iteration (and the EMA update); returns its scalars on the device
    // without waiting for them (GanStep::launch).
    //
    // With config.cuda_graphs on CUDA, the step's device work is recorded in
    // a CUDA graph after kEagerIterations eager ones and replayed from then
    // on: one graph per kind of iteration (with or without the lazy R1
    // penalty, with or without instance noise). A graph is recorded again
    // after anything that replaces the tensors it names (a checkpoint loaded,
    // a new memory format) or a new beta1. When no graph can be made or
    // recorded, the pair trains eagerly from then on and graph_notice() says
    // why, once.
    at::Tensor step(const at::Tensor& real, at::Generator& rng, double progress, std::int64_t iteration);
    static constexpr int kEagerIterations = 2;
    bool graphed() const { return graphs_on_; }
    // The reason graphs were given up, the first time it is asked for; then "".
    std::string take_graph_notice();
    void set_hyperparameters(double lr, double beta1, double d_lr_scale);
    std::pair<double, double> learning_rates() const;  // {G, D}

    // Keys in a checkpoint start with `prefix` ("" for the first pair).
    void save(CheckpointWriter& writer, const std::string& prefix) const;
    void load(CheckpointReader& reader, const std::string& prefix);
    // Restores the memory format the step uses after loading (CPU).
    void to_channels_last();

    Generator generator() const { return g_; }
    Discriminator discriminator() const { return d_; }
    // What samples come from: the EMA of G when the recipe keeps one, else G.
    Generator sampling_generator() const { return ema_ ? ema_->average() : g_; }
    bool averaged() const { return ema_ != nullptr; }
    // Leaves G's weights where they are from now on (its optimizer's lr is 0); for tests and experiments.
    void freeze_generator() { frozen_ = true; set_hyperparameters(lr_, beta1_, d_lr_scale_); }
    bool weights_finite() const;
    void train_mode();

private:
    at::Tensor graphed_step(const at::Tensor& real, at::Generator& rng, double progress, std::int64_t iteration);
    void give_up_graphs(const std::string& why);

    struct Recorded {
        std::unique_ptr<StepGraph> graph;
        at::Tensor output;  // the scalars each replay writes
    };
    Generator g_{nullptr};
    Discriminator d_{nullptr};
    std::unique_ptr<torch::optim::Adam> opt_g_, opt_d_;
    std::unique_ptr<GanStep> step_;
    std::unique_ptr<GeneratorEma> ema_;
    double ema_halflife_ = 0;
    double ema_rampup_ = 0;
    std::int64_t batch_size_ = 0;
    double lr_ = 0, beta1_ = 0, d_lr_scale_ = 1;
    bool frozen_ = false;
    c10::Device device_;
    bool graphs_on_ = false;
    int eager_iterations_ = 0;
    std::map<int, Recorded> graphs_;  // by kind of iteration
    std::string graph_notice_;
};

} // namespace latentlab
