// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/engine.h"

#include <chrono>
#include <cstdlib>
#include <cmath>
#include <filesystem>

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/core/Tensor.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <ATen/ops/isfinite.h>
#include <ATen/ops/stack.h>
#include <nlohmann/json.hpp>
#include <torch/utils.h>

#include "checkpoint/checkpoint_file.h"
#include "common/error.h"
#include "data/data_source.h"
#include "data/device_batches.h"
#include "imaging/layouts.h"
#include "latent/latent_batch.h"
#include "latent/latent_views.h"
#include "models/generate.h"
#include "run/tensorboard_log.h"
#include "train/device.h"
#include "train/metrics_feed.h"

namespace latentlab {
namespace {

constexpr std::uint64_t kNoiseSalt = 0x6e6f697365ULL;  // keeps the training noise apart from SEED:INDEX latents
constexpr std::uint64_t kCrossValidationSalt = 0x63726f7373ULL;  // the judged latents, apart from SEED:INDEX ones
constexpr int kCrossValidationSamples = 256;

} // namespace

std::string to_string(EndReason reason) {
    switch (reason) {
    case EndReason::Finished: return "finished";
    case EndReason::Stopped: return "stopped";
    case EndReason::NonFinite: return "non-finite loss";
    case EndReason::Failed: return "failed";
    }
    return "unknown";
}

Engine::Engine(TrainConfig config, std::shared_ptr<const DecodedImages> data, RunLock lock)
    : config_(std::move(config)), data_(std::move(data)), device_(c10::kCPU), lock_(std::move(lock)) {
    if (!data_) throw Error("no training data");
    if (config_.channels_auto) config_.model.channels = data_->channels;
    else if (config_.model.channels != data_->channels)
        throw Error("the data has " + std::to_string(data_->channels) + " channels, the model " +
                    std::to_string(config_.model.channels));
    config_.validate();
    if (data_->size != config_.load_size())
        throw Error("the data was decoded at " + std::to_string(data_->size) + " px, training needs " +
                    std::to_string(config_.load_size()) + " px");
    if (config_.run_dir.empty()) throw Error("no run folder given");
    std::error_code ec;
    if (!lock_.held()) lock_ = RunLock(config_.run_dir);
    else if (!std::filesystem::equivalent(lock_.dir(), config_.run_dir, ec))
        throw Error(config_.run_dir + ": the engine was given the lock of another folder (" + lock_.dir() + ")");

    device_ = resolve_device(config_.device);
    configure_cpu_threads(config_.threads);
    prepare_device(device_);
    fingerprint_ = data_fingerprint(*data_);

    // Faster convolutions on the CPU (docs/PERFORMANCE.md); on CUDA what
    // bfloat16 tensor-core kernels want.
    bf16_ = uses_bf16(config_.precision, device_);
    config_.precision = bf16_ ? "bf16" : "fp32";  // "auto" resolved: checkpoints and resumes say what ran
    channels_last_ = device_.is_cpu() || bf16_;
    for (int k = 0; k < config_.pairs; ++k)
        pairs_.push_back(std::make_unique<GanPair>(config_, config_.seed + static_cast<std::uint64_t>(k), device_,
                                                   channels_last_, bf16_));
    cross_validation_latents_ =
        latent_batch(config_.seed ^ kCrossValidationSalt, kCrossValidationSamples, config_.model.nz);

    noise_rng_ = at::make_generator<at::CPUGeneratorImpl>(config_.seed ^ kNoiseSalt);
    if (device_.is_cuda()) {
        // The step draws its noise and augmentations on the device, so an
        // iteration never waits for a host-to-device copy of random values.
        device_rng_ = at::detail::getCUDAHooks().getNewGenerator(device_.index());
        device_rng_.set_current_seed(config_.seed ^ kNoiseSalt);
    }
    feed_ = std::make_unique<MetricsFeed>(device_);
    // The fixed visualisation batch is SEED:0 .. SEED:count-1, so any grid
    // image can be named as a latent reference.
    fixed_noise_ = latent_batch(config_.seed, config_.sample_count, config_.model.nz);

    BatchLoaderOptions lo;
    lo.batch_size = config_.batch_size;
    lo.crop_size = config_.model.image_size;
    lo.random_crop = config_.random_crop;
    lo.flip = config_.flip;
    lo.seed = config_.seed;
    lo.workers = config_.workers;
    lo.prefetch = kPrefetchBatches;
    lo.pin_memory = device_.is_cuda();
    lo.bytes = device_.is_cuda();  // scaled on the device: a quarter of the bytes over PCIe
    batches_on_device_ = config_.data_placement == "device" ||
                         (config_.data_placement == "auto" && images_fit_on_device(*data_, device_));
    if (batches_on_device_) loader_ = std::make_unique<DeviceBatches>(data_, lo, device_);
    else loader_ = std::make_unique<BatchLoader>(data_, lo);
    upload_ = std::make_unique<BatchUpload>(device_);
    store_ = std::make_unique<CheckpointStore>(config_.run_dir + "/checkpoints", config_.keep_checkpoints);
    run_folder_ = std::make_unique<RunFolder>(config_.run_dir);
    observers_.push_back(run_folder_.get());
#ifdef LATENTLAB_HAVE_TENSORBOARD
    if (config_.tensorboard) {
        tensorboard_ = std::make_unique<TensorboardLog>(config_.run_dir);
        observers_.push_back(tensorboard_.get());
    }
#endif
}

Engine::~Engine() = default;

void Engine::resume_from(const std::string& path) {
    CheckpointReader reader(path);
    const auto& meta = reader.meta();
    reader.require_training_state();
    try {
        const TrainConfig saved = train_config_from_json(meta.at("config"));
        if (!(saved.model == config_.model))
            throw Error(path + ": the checkpoint's model (" + std::to_string(saved.model.image_size) + " px, " +
                        std::to_string(saved.model.channels) + " channels, nz " + std::to_string(saved.model.nz) +
                        ") differs from this run's");
        const std::string saved_fingerprint = meta.at("data_fingerprint").get<std::string>();
        if (saved_fingerprint != fingerprint_)
            throw Error(path + ": the checkpoint was trained on other data (" + saved_fingerprint + ", now " +
                        fingerprint_ + ")");
        const int saved_pairs = meta.value("pairs", 1);
        if (saved_pairs != config_.pairs)
            throw Error(path + ": the checkpoint holds " + std::to_string(saved_pairs) + " pair(s), this run trains " +
                        std::to_string(config_.pairs));
        for (int k = 0; k < config_.pairs; ++k) pairs_[k]->load(reader, pair_key_prefix(k));
        best_pair_ = meta.value("best_pair", 0);
        if (best_pair_ < 0 || best_pair_ >= config_.pairs) best_pair_ = 0;
        const std::int64_t epoch = meta.at("epoch").get<std::int64_t>(), batch = meta.at("batch").get<std::int64_t>(),
                           iteration = meta.at("iteration").get<std::int64_t>();
        if (epoch < 0 || batch < 0 || iteration < 0)
            throw Error(path + ": the checkpoint's counters are negative (epoch " + std::to_string(epoch) + ", batch " +
                        std::to_string(batch) + ", iteration " + std::to_string(iteration) + ")");
        const double lr = meta.at("lr").get<double>(), beta1 = meta.at("beta1").get<double>();
        if (!(lr > 0.0 && lr < 1.0) || !(beta1 >= 0.0 && beta1 < 1.0))
            throw Error(path + ": the checkpoint's lr " + std::to_string(lr) + " or beta1 " + std::to_string(beta1) +
                        " is out of range");
        const at::Tensor noise_state = reader.tensor("rng/noise", at::kByte);
        const at::Tensor cpu_state = reader.tensor("rng/cpu_default", at::kByte);
        const at::Tensor fixed_noise = reader.tensor("fixed_noise", at::kFloat);
        if (fixed_noise.dim() != 2 || fixed_noise.size(1) != config_.model.nz || fixed_noise.size(0) < 1)
            throw Error(path + ": the checkpoint's fixed noise is not a batch of " + std::to_string(config_.model.nz) +
                        "-long latents");
        try {
            noise_rng_.set_state(noise_state);
            at::Generator default_rng = at::detail::getDefaultCPUGenerator();
            default_rng.set_state(cpu_state);
            if (device_rng_.defined()) {
                // A CUDA run resumes its device generator; a run that moves onto
                // CUDA from a CPU checkpoint starts it from the seed and the position.
                if (meta.value("device_rng", false)) device_rng_.set_state(reader.tensor("rng/device", at::kByte));
                else device_rng_.set_current_seed(config_.seed ^ kNoiseSalt ^ static_cast<std::uint64_t>(iteration));
            }
        } catch (const c10::Error&) {
            throw Error(path + ": the checkpoint's random number generator state is invalid");
        }
        fixed_noise_ = fixed_noise.to(fixed_noise_.device());
        set_hyperparameters(lr, beta1);
        epoch_ = epoch;
        batch_ = batch;
        iteration_ = iteration;
        healthy_ = meta.value("healthy", true);
        meter_.restore(meta.value("meter", nlohmann::json::object()));
    } catch (const nlohmann::json::exception& e) {
        throw Error(path + ": the checkpoint's metadata is incomplete (" + std::string(e.what()) + ")");
    }
    if (channels_last_)
        for (auto& pair : pairs_) pair->to_channels_last();
    if (batch_ >= loader_->batches_per_epoch()) {  // e.g. resumed with a larger batch size
        ++epoch_;
        batch_ = 0;
    }
    resumed_ = true;
    last_checkpoint_ = path;
}

void Engine::report_notices() {
    // The pairs give up graphs for the same reason; it is said once.
    std::string said;
    for (auto& pair : pairs_) {
        const std::string text = pair->take_graph_notice();
        if (text.empty() || text == said) continue;
        notify([&](TrainingObserver& o) { o.on_notice(text); });
        said = text;
    }
}

void Engine::set_hyperparameters(double lr, double beta1) {
    std::lock_guard<std::mutex> lock(model_mutex_);  // snapshot_generator reads config_
    for (auto& pair : pairs_) pair->set_hyperparameters(lr, beta1, config_.recipe.d_lr_scale);
    config_.lr = lr;
    config_.beta1 = beta1;
}

void Engine::apply_changes() {
    const auto changes = control_.take_changes();
    if (changes.lr || changes.beta1)
        set_hyperparameters(changes.lr.value_or(config_.lr), changes.beta1.value_or(config_.beta1));
    if (changes.cross_validation) report_cross_validation();
}

CrossValidation Engine::cross_validate() {
    std::lock_guard<std::mutex> lock(model_mutex_);
    std::vector<Generator> generators;
    std::vector<Discriminator> discriminators;
    for (auto& pair : pairs_) {
        generators.push_back(pair->sampling_generator());
        discriminators.push_back(pair->discriminator());
    }
    CrossValidation cv = cross_validate_pairs(generators, discriminators, cross_validation_latents_, device_);
    cv.epoch = epoch_;
    cv.iteration = iteration_;
    best_pair_ = cv.best;
    return cv;
}

void Engine::report_cross_validation() {
    const CrossValidation cv = cross_validate();
    notify([&](TrainingObserver& o) { o.on_cross_validation(cv); });
}

SampleGrid Engine::draw_samples(bool epoch_end, bool live) {
    SampleGrid s;
    s.live = live;
    s.epoch = epoch_;
    s.iteration = iteration_;
    s.epoch_end = epoch_end;
    // Batch statistics, as the generator trains: early in a run the running
    // averages lag far behind and eval-mode samples look like noise. Drawing
    // that way touches the batch-norm buffers, so a snapshot must wait for it.
    std::vector<Image> images;
    {
        std::lock_guard<std::mutex> lock(model_mutex_);
        Generator g = sampling_generator();
        images = to_images(generate(g, fixed_noise_, device_, NormStatistics::Batch));
    }
    s.grid = make_grid(images, grid_columns(static_cast<int>(images.size())));
    s.diversity = sample_diversity(images);
    return s;
}

bool Engine::weights_finite() {
    for (const auto& pair : pairs_)
        if (!pair->weights_finite()) return false;
    return true;
}

std::string Engine::save_checkpoint() {
    // The last update can turn the weights non-finite before any loss shows it.
    if (healthy_ && !weights_finite()) healthy_ = false;
    CheckpointWriter w;
    w.set_meta({{"format", kCheckpointFormat},
                {"config", to_json(config_)},
                {"epoch", epoch_},
                {"batch", batch_},
                {"iteration", iteration_},
                {"lr", config_.lr},
                {"beta1", config_.beta1},
                {"beta2", config_.beta2},
                {"healthy", healthy_},
                {"pairs", config_.pairs},
                {"best_pair", best_pair_},
                {"device_rng", device_rng_.defined()},
                {"data_fingerprint", fingerprint_},
                {"images", data_->count()},
                {"meter", meter_.state()},
                {"libtorch", libtorch_version()},
                {"created", std::chrono::duration_cast<std::chrono::seconds>(
                                std::chrono::system_clock::now().time_since_epoch()).count()}});
    for (int k = 0; k < config_.pairs; ++k) pairs_[k]->save(w, pair_key_prefix(k));
    w.add_tensor("rng/noise", noise_rng_.get_state());
    w.add_tensor("rng/cpu_default", at::detail::getDefaultCPUGenerator().get_state());
    if (device_rng_.defined()) w.add_tensor("rng/device", device_rng_.get_state());
    w.add_tensor("fixed_noise", fixed_noise_);
    try {
        last_checkpoint_ = store_->save(w.bytes(), epoch_, iteration_, healthy_);
    } catch (const Error& e) {
        // The store left everything it had before; say which checkpoint still holds.
        if (last_checkpoint_.empty()) throw;
        throw Error(std::string(e.what()) + "; the last checkpoint, " + last_checkpoint_ + ", is intact");
    }
    notify([&](TrainingObserver& o) { o.on_checkpoint(last_checkpoint_, healthy_); });
    return last_checkpoint_;
}

GeneratorSnapshot Engine::snapshot_generator() {
    std::lock_guard<std::mutex> lock(model_mutex_);
    GeneratorSnapshot s;
    s.model = config_.model;
    s.device = c10::Device(c10::kCPU);
    s.generator = clone_generator(sampling_generator(), s.device);
    s.averaged = pairs_[best_pair_]->averaged();
    s.meta = {{"config", to_json(config_)}, {"epoch", epoch_}, {"batch", batch_}, {"iteration", iteration_}};
    s.path = config_.run_dir + " (live, iteration " + std::to_string(iteration_) + ")";
    return s;
}

TrainingEnd Engine::run() {
    TrainingEnd end;
    try {
        TrainingStart start;
        start.config = config_;
        start.device = describe_device(device_) + (bf16_ ? ", bfloat16" : "");
        start.batches_on_device = batches_on_device_;
        start.images = static_cast<std::int64_t>(data_->count());
        start.batches_per_epoch = loader_->batches_per_epoch();
        start.start_epoch = epoch_;
        start.start_batch = batch_;
        start.start_iteration = iteration_;
        start.resumed = resumed_;
        run_folder_->write_skipped(data_->skipped);
        notify([&](TrainingObserver& o) { o.on_start(start); });
        report_notices();
        if (!resumed_) notify([&](TrainingObserver& o) { o.on_samples(draw_samples(false)); });

        const std::int64_t batches = loader_->batches_per_epoch();
        const double total_iterations = static_cast<double>(batches) * config_.epochs;
        // Ends the run early, with a checkpoint at the current position.
        const auto end_early = [&](EndReason reason) {
            end.reason = reason;
            save_checkpoint();
            end.epoch = epoch_;
            end.iteration = iteration_;
            end.last_checkpoint = last_checkpoint_;
            notify([&](TrainingObserver& o) { o.on_end(end); });
            return end;
        };
        // Hands iterations whose scalars reached the host to the meter and the
        // observers (on CUDA some iterations later; `wait` takes all of them).
        // Returns false when a non-finite loss must end the run.
        const auto deliver = [&](bool wait) {
            bool go_on = true;
            for (IterationMetrics& m : wait ? feed_->drain() : feed_->ready()) {
                meter_.add(m, config_.batch_size);
                if (!m.finite) healthy_ = false;
                notify([&](TrainingObserver& o) { o.on_iteration(m); });
                if (!m.finite && end.message.empty()) {
                    end.message = "non-finite loss at iteration " + std::to_string(m.iteration) + " (Loss_D " +
                                  std::to_string(m.loss_d) + ", Loss_G " + std::to_string(m.loss_g) + ")";
                    if (config_.pause_on_nonfinite) control_.pause();
                    else go_on = false;
                }
            }
            return go_on;
        };
        for (auto& pair : pairs_) pair->train_mode();
        auto last_live_grid = std::chrono::steady_clock::now();
        while (epoch_ < config_.epochs) {
            if (batch_ == 0) meter_.start_epoch(epoch_);
            loader_->start_epoch(epoch_, batch_);
            while (batch_ < batches) {
                // Before a pause or a stop the metrics catch up, so what the
                // window shows and the checkpoint's meter are complete.
                if ((control_.paused() || control_.stop_requested()) && !deliver(true))
                    return end_early(EndReason::NonFinite);
                if (!control_.wait_for_turn()) {
                    deliver(true);
                    return end_early(EndReason::Stopped);
                }
                apply_changes();
                const auto t0 = std::chrono::steady_clock::now();
                const at::Tensor real = (*upload_)(loader_->next());
                IterationMetrics m;
                m.data_wait_seconds = loader_->last_wait_seconds();
                at::Tensor scalars, others_finite;
                {
                    std::lock_guard<std::mutex> lock(model_mutex_);
                    const double progress = static_cast<double>(iteration_) / total_iterations;
                    // The pairs take turns on the same batch; the first pair's metrics are
                    // reported, and the others' losses only for being finite.
                    std::vector<at::Tensor> other_losses;
                    for (std::size_t k = 0; k < pairs_.size(); ++k) {
                        at::Tensor pair_scalars = pairs_[k]->step(real, step_rng(), progress, iteration_);
                        if (k == 0) scalars = pair_scalars;
                        else other_losses.push_back(pair_scalars.narrow(0, 0, 2));
                    }
                    if (!other_losses.empty()) others_finite = at::isfinite(at::stack(other_losses)).all();
                    std::tie(m.lr_g, m.lr_d) = pairs_.front()->learning_rates();
                    // The counters change with the weights, so a snapshot sees them agree.
                    ++iteration_;
                    ++batch_;
                }
                m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
                m.images_per_second = m.seconds > 0 ? config_.batch_size / m.seconds : 0.0;
                m.epoch = epoch_;
                m.batch = batch_ - 1;
                m.iteration = iteration_;
                feed_->push(scalars, others_finite, m);
                report_notices();
                if (!deliver(false)) return end_early(EndReason::NonFinite);
                if (config_.sample_every > 0 && iteration_ % config_.sample_every == 0 && batch_ < batches) {
                    notify([&](TrainingObserver& o) { o.on_samples(draw_samples(false)); });
                    last_live_grid = std::chrono::steady_clock::now();
                } else if (config_.live_sample_seconds > 0 &&
                           std::chrono::duration<double>(std::chrono::steady_clock::now() - last_live_grid).count() >=
                               config_.live_sample_seconds) {
                    notify([&](TrainingObserver& o) { o.on_samples(draw_samples(false, true)); });
                    last_live_grid = std::chrono::steady_clock::now();
                }
            }
            if (!deliver(true)) return end_early(EndReason::NonFinite);
            report_cross_validation();
            const SampleGrid grid = draw_samples(true);
            notify([&](TrainingObserver& o) { o.on_samples(grid); });
            const EpochSummary summary = meter_.epoch_summary();
            notify([&](TrainingObserver& o) { o.on_epoch_end(summary); });
            {
                std::lock_guard<std::mutex> lock(model_mutex_);
                ++epoch_;
                batch_ = 0;
            }
            save_checkpoint();
        }
        end.reason = EndReason::Finished;
    } catch (const std::exception& e) {
        end.reason = EndReason::Failed;
        end.message = e.what();
    }
    end.epoch = epoch_;
    end.iteration = iteration_;
    end.last_checkpoint = last_checkpoint_;
    notify([&](TrainingObserver& o) { o.on_end(end); });
    return end;
}

} // namespace latentlab
