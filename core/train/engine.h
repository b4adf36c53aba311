// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <ATen/core/Generator.h>
#include <torch/optim/adam.h>

#include "checkpoint/checkpoint_store.h"
#include "checkpoint/generator_snapshot.h"
#include "data/batch_loader.h"
#include "data/batch_upload.h"
#include "models/discriminator.h"
#include "models/generator.h"
#include "run/run_folder.h"
#include "run/run_lock.h"
#include "train/engine_control.h"
#include "train/cross_validation.h"
#include "train/gan_pair.h"
#include "train/metrics.h"
#include "train/train_config.h"
#include "train/training_observer.h"

namespace latentlab {

class MetricsFeed;

// Trains a DCGAN pair on pre-decoded data and writes the run folder
// config.run_dir as it goes (RunFolder: settings, metrics, sample grids, the
// skipped-files list; CheckpointStore: checkpoints/). run() loops on the calling thread; other threads
// steer it through control() (pause, step, resume, stop, lr, beta1).
// An engine holds the folder's RunLock from construction to destruction, so no
// other engine, in this process or another, writes or clears the same folder.
class Engine {
public:
    // `data` must be decoded at config.load_size(). Builds and initialises the
    // models from config.seed. Throws latentlab::Error for settings that do
    // not fit (e.g. fewer images than a batch, a CUDA device that is absent),
    // and when another engine holds the run folder. `lock`, when held, is the
    // caller's lock on config.run_dir (taken before it looked at the folder)
    // and is kept; otherwise the engine takes one before touching the folder.
    Engine(TrainConfig config, std::shared_ptr<const DecodedImages> data, RunLock lock = {});
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // Restores everything from a checkpoint: weights, optimizer states and
    // hyperparameters, position, RNG states and the fixed noise. Throws
    // latentlab::Error when it does not fit this run (model or data differ).
    void resume_from(const std::string& checkpoint_path);

    void add_observer(TrainingObserver* observer) { observers_.push_back(observer); }
    EngineControl& control() { return control_; }

    // Trains until config.epochs are done or a stop is asked for; a stop
    // writes a checkpoint at the current position first. Never throws:
    // failures come back as EndReason::Failed with the message.
    TrainingEnd run();

    const TrainConfig& config() const { return config_; }
    std::int64_t batches_per_epoch() const { return loader_->batches_per_epoch(); }
    std::int64_t iteration() const { return iteration_; }
    // The pairs (config.pairs of them; the first is seeded with config.seed, pair k with seed + k).
    int pair_count() const { return static_cast<int>(pairs_.size()); }
    GanPair& pair(int k) { return *pairs_.at(static_cast<std::size_t>(k)); }
    // The pair the cross-validation judged best so far (the first until then):
    // its generator is what samples, snapshots and the explorer use.
    int best_pair() const { return best_pair_; }
    Generator generator() const { return pairs_[best_pair_]->generator(); }
    // The generator samples come from: the EMA of G's weights when the recipe keeps one, else G.
    Generator sampling_generator() const { return pairs_[best_pair_]->sampling_generator(); }
    Discriminator discriminator() const { return pairs_[best_pair_]->discriminator(); }
    const at::Tensor& fixed_noise() const { return fixed_noise_; }
    // The learning rates the optimizers use now: {G, D}.
    std::pair<double, double> learning_rates() const { return pairs_.front()->learning_rates(); }
    // Judges every pair's generator by every pair's discriminator now (between iterations only).
    CrossValidation cross_validate();

    // A deep copy of the best pair's sampling generator as it is between two iterations, on the
    // CPU, for exploring while training goes on. Safe from any thread; waits
    // at most for the iteration in progress.
    GeneratorSnapshot snapshot_generator();

private:
    void apply_changes();
    void report_cross_validation();
    void set_hyperparameters(double lr, double beta1);
    void report_notices();  // the pairs' graph notices, to the observers
    SampleGrid draw_samples(bool epoch_end, bool live = false);
    std::string save_checkpoint();
    // The generator the training step draws from (on the training device).
    at::Generator& step_rng() { return device_rng_.defined() ? device_rng_ : noise_rng_; }
    bool weights_finite();
    template <typename F> void notify(F&& f) { for (auto* o : observers_) f(*o); }

    TrainConfig config_;
    std::shared_ptr<const DecodedImages> data_;
    std::string fingerprint_;
    c10::Device device_;
    std::vector<std::unique_ptr<GanPair>> pairs_;
    int best_pair_ = 0;
    at::Tensor cross_validation_latents_;
    std::unique_ptr<BatchSource> loader_;  // BatchLoader, or DeviceBatches when batches_on_device_
    std::unique_ptr<BatchUpload> upload_;  // the loader's batches to the device, as float
    bool batches_on_device_ = false;
    bool channels_last_ = false;  // the models' 4-D weights and the step's inputs
    bool bf16_ = false;           // the forward passes under bfloat16 autocast (config.precision)
    RunLock lock_;  // before the store and the folder: released after they are gone
    std::unique_ptr<CheckpointStore> store_;
    std::unique_ptr<RunFolder> run_folder_;
    std::unique_ptr<TrainingObserver> tensorboard_;  // a TensorboardLog when the config asks and the build can
    at::Generator noise_rng_;   // the CPU generator: the step's draws on the CPU
    at::Generator device_rng_;  // on CUDA, the step's draws come from this generator on the device
    std::unique_ptr<MetricsFeed> feed_;
    at::Tensor fixed_noise_;
    MetricsMeter meter_;
    EngineControl control_;
    std::vector<TrainingObserver*> observers_;
    std::mutex model_mutex_;  // held while an iteration changes the weights

    std::int64_t epoch_ = 0, batch_ = 0, iteration_ = 0;
    bool healthy_ = true, resumed_ = false;
    std::string last_checkpoint_;
};

} // namespace latentlab
