// SPDX-License-Identifier: GPL-3.0-or-later
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <thread>

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <torch/cuda.h>
#include <nlohmann/json.hpp>

#include "checkpoint/checkpoint_store.h"
#include "command.h"
#include "common/error.h"
#include "data/data_source.h"
#include "data/decoded_cache.h"
#include "interrupt_watch.h"
#include "progress_printer.h"
#include "run/run_lock.h"
#include "run/tensorboard_log.h"
#include "setting_option.h"
#include "train/diff_augment.h"
#include "train/engine.h"
#include "train/recipe.h"
#include "train/resume_config.h"

namespace latentlab::cli {
namespace {

struct TrainOptions {
    TrainConfig config;
    std::string channels = "auto";
    // The recipe, then each of its parts given on their own (they win over the recipe's).
    std::string recipe = kDefaultRecipe;
    std::string d_norm = "batch", loss = "bce", ema = "on";
    Recipe parts;
    std::string cache_dir;
    std::string tensorboard = "on";
    std::string cuda_graphs = "off";
    bool resume = false;
};

void summarise_skipped(const std::vector<SkippedFile>& skipped, const std::string& run_dir) {
    if (skipped.empty()) return;
    std::map<std::string, int> by_reason;
    for (const auto& s : skipped) ++by_reason[s.reason];
    std::cerr << "skipped " << skipped.size() << " file(s), listed in " << run_dir << "/skipped_files.txt:";
    for (const auto& [reason, n] : by_reason) std::cerr << " " << n << " x " << reason << ";";
    std::cerr << "\n";
}

// With --resume the run keeps its saved settings; only these flags may change:
// --epochs, --device, --workers, --data-placement, --precision, --threads, --sample-every, --log-every, --tensorboard,
// --cuda-graphs.
TrainConfig cli_resume_config(const TrainOptions& o, const CLI::App& cmd, const std::string& checkpoint) {
    const TrainConfig saved = read_resume_config(checkpoint);
    // The settings a resume may change, as given; the rest (and these when not given) as saved.
    TrainConfig wanted = saved;
    const TrainConfig& given = o.config;
    if (cmd.count("--epochs")) wanted.epochs = given.epochs;
    if (cmd.count("--device")) wanted.device = given.device;
    else if (saved.device.rfind("cuda", 0) == 0 && !torch::cuda::is_available()) {
        std::cerr << "note: the run trained on " << saved.device
                  << "; this machine has no CUDA device, so it continues on the CPU (pass --device to choose)\n";
        wanted.device = "cpu";
    }
    if (cmd.count("--workers")) wanted.workers = given.workers;
    if (cmd.count("--data-placement")) wanted.data_placement = given.data_placement;
    if (cmd.count("--precision")) wanted.precision = given.precision;
    if (cmd.count("--threads")) wanted.threads = given.threads;
    if (cmd.count("--sample-every")) wanted.sample_every = given.sample_every;
    if (cmd.count("--log-every")) wanted.log_every = given.log_every;
    if (cmd.count("--tensorboard")) wanted.tensorboard = o.tensorboard == "on";
    if (cmd.count("--cuda-graphs")) wanted.cuda_graphs = o.cuda_graphs == "on";
    wanted.run_dir = given.run_dir;
    for (const auto* flag : {"--data", "--image-size", "--channels", "--batch-size", "--nz", "--ngf", "--ndf", "--seed",
                             "--lr", "--beta1", "--flip", "--random-crop", "--pairs", "--recipe", "--d-norm", "--loss",
                             "--d-lr-scale", "--real-label", "--instance-noise", "--noise-target", "--augment", "--ema", "--ema-halflife",
                             "--ema-rampup"})
        if (cmd.count(flag)) std::cerr << "note: " << flag << " is ignored with --resume; the run keeps its saved value\n";
    return resume_config(saved, wanted, nullptr);
}

// The named recipe with the parts given on their own laid over it.
void apply_recipe_flags(const TrainOptions& o, const CLI::App& cmd, TrainConfig& config) {
    config.use_recipe(o.recipe);
    Recipe& r = config.recipe;
    if (cmd.count("--d-norm")) config.model.d_norm = parse_discriminator_norm(o.d_norm);
    if (cmd.count("--loss")) r.loss = parse_gan_loss(o.loss);
    if (cmd.count("--d-lr-scale")) r.d_lr_scale = o.parts.d_lr_scale;
    if (cmd.count("--real-label")) r.real_label = o.parts.real_label;
    if (cmd.count("--instance-noise")) r.instance_noise = o.parts.instance_noise;
    if (cmd.count("--noise-target")) r.noise_target = o.parts.noise_target;
    if (cmd.count("--augment")) r.augment = o.parts.augment;
    if (cmd.count("--augment-target")) r.augment_target = o.parts.augment_target;
    if (cmd.count("--r1")) r.r1_gamma = o.parts.r1_gamma;
    if (cmd.count("--r1-every")) r.r1_every = o.parts.r1_every;
    if (cmd.count("--ema")) r.ema = o.ema == "on";
    if (cmd.count("--ema-halflife")) r.ema_halflife = o.parts.ema_halflife;
    if (cmd.count("--ema-rampup")) r.ema_rampup = o.parts.ema_rampup;
}

int run_train(TrainOptions& o, const CLI::App& cmd) {
    namespace fs = std::filesystem;
    TrainConfig config = o.config;
    apply_recipe_flags(o, cmd, config);
    config.tensorboard = o.tensorboard == "on";
    config.cuda_graphs = o.cuda_graphs == "on";
    if (o.channels == "auto") config.channels_auto = true;
    else {
        config.channels_auto = false;
        config.model.channels = std::stoi(o.channels);
    }
    try {
        config.validate();
    } catch (const Error& e) {
        throw UsageError(e.what());
    }

    const std::string latest = CheckpointStore::latest_in(config.run_dir);
    // Checked before the lock, which would create a mistyped folder.
    if (o.resume && !fs::exists(latest))
        throw Error(config.run_dir + ": nothing to resume (no checkpoints/latest.llck)");
    // Before reading the folder: a second process on the same --out stops
    // here, before it reads or writes anything the first one owns.
    RunLock lock(config.run_dir);
    if (o.resume) {
        config = cli_resume_config(o, cmd, latest);
    } else if (fs::exists(latest)) {
        throw Error(config.run_dir + ": this folder already holds a run (checkpoints/latest.llck); pass --resume to "
                    "continue it or choose another --out");
    }

    const DataSpec spec = parse_data_spec(config.data);
    DecodeOptions decode;
    decode.size = config.load_size();
    decode.channels = config.channels_auto ? 0 : config.model.channels;
    // The decode uses every core; --workers is the threads that prepare batches while training.
    decode.workers = std::max(config.workers, static_cast<int>(std::thread::hardware_concurrency()));
    // On a terminal one line that counts up; in a log a line per tenth.
    decode.progress = [terminal = ::isatty(STDERR_FILENO) == 1, tenth = std::size_t{0}](std::size_t done,
                                                                                      std::size_t total) mutable {
        if (terminal) {
            std::cerr << "\rdecoded " << done << " of " << total << " images" << (done == total ? "\n" : "") << std::flush;
        } else if (done * 10 / total > tenth || done == total) {
            tenth = done * 10 / total;
            std::cerr << "decoded " << done << " of " << total << " images\n";
        }
    };
    std::cerr << "loading " << spec.describe() << " at " << decode.size << " px...\n";
    // Images from files are decoded once into a cache file that the OS pages
    // (RUN/cache unless --cache-dir says where): a dataset larger than memory
    // trains, and a resumed run decodes nothing.
    const std::string cache_dir = !o.cache_dir.empty() ? o.cache_dir
                                  : !spec.generated() ? (fs::path(config.run_dir) / "cache").string()
                                                      : std::string();
    bool reused = false;
    auto data = std::make_shared<DecodedImages>(load_data_with_cache(spec, decode, config.seed, cache_dir, &reused));
    if (reused) std::cerr << "reused the decoded images saved in " << cache_dir << "\n";

    summarise_skipped(data->skipped, config.run_dir);

    if (config.tensorboard && !tensorboard_available())
        std::cerr << "note: this build of LatentLab cannot write TensorBoard files (protobuf was not found); "
                     "metrics.jsonl and samples/ are written as always\n";
    Engine engine(config, data, std::move(lock));
    if (o.resume) engine.resume_from(latest);
    ProgressPrinter progress(stdout);
    engine.add_observer(&progress);
    TrainingEnd end;
    {
        InterruptWatch watch(engine.control());
        end = engine.run();
    }
    switch (end.reason) {
    case EndReason::Finished:
    case EndReason::Stopped: return kExitOk;
    case EndReason::NonFinite:
        std::cerr << "training diverged: " << end.message << "; the last healthy checkpoint is "
                  << latest << "\n";
        return kExitFailure;
    case EndReason::Failed: throw Error(end.message);
    }
    return kExitFailure;
}

} // namespace

Command add_train_command(CLI::App& app) {
    auto o = std::make_shared<TrainOptions>();
    TrainConfig& c = o->config;
    CLI::App* cmd = app.add_subcommand("train", "Train a DCGAN and write a run folder");
    cmd->add_option("--data", c.data, "synthetic[:COUNT], random[:COUNT], an image folder or an IDX file")
        ->capture_default_str();
    cmd->add_option("--out", c.run_dir, "Run folder (config, metrics, samples, checkpoints)")->required();
    cmd->add_option("--image-size", c.model.image_size, "Training size")->check(CLI::IsMember({32, 64, 128}))->capture_default_str();
    cmd->add_option("--channels", o->channels, "auto, 1 or 3")->check(CLI::IsMember({"auto", "1", "3"}))->capture_default_str();
    add_setting_option(cmd, "epochs", c.epochs)->capture_default_str();
    add_setting_option(cmd, "batch_size", c.batch_size)->capture_default_str();
    add_setting_option(cmd, "nz", c.model.nz)->capture_default_str();
    add_setting_option(cmd, "ngf", c.model.ngf)->capture_default_str();
    add_setting_option(cmd, "ndf", c.model.ndf)->capture_default_str();
    add_setting_option(cmd, "lr", c.lr)->capture_default_str();
    add_setting_option(cmd, "beta1", c.beta1)->capture_default_str();
    cmd->add_option("--seed", c.seed, "Seed for weights, data order, noise and synthetic data")->capture_default_str();
    cmd->add_option("--device", c.device, "auto, cpu, cuda or cuda:N")->capture_default_str();
    add_setting_option(cmd, "workers", c.workers)->capture_default_str();
    cmd->add_option("--data-placement", c.data_placement,
                    "Where batches are made: host (worker threads), device (images uploaded once, batches made on "
                    "the training device) or auto (device on CUDA when the images fit in half its free memory)")
        ->check(CLI::IsMember(data_placements()))->capture_default_str();
    cmd->add_option("--precision", c.precision,
                    "fp32; bf16: convolutions in bfloat16 under autocast, weights, optimizer state and losses in "
                    "float32; auto: bf16 on a CPU with bfloat16 units (AVX512-BF16, AMX), else fp32")
        ->check(CLI::IsMember(precisions()))->capture_default_str();
    add_setting_option(cmd, "threads", c.threads)->capture_default_str();
    add_setting_option(cmd, "sample_every", c.sample_every)->capture_default_str();
    add_setting_option(cmd, "log_every", c.log_every)->capture_default_str();
    add_setting_option(cmd, "keep_checkpoints", c.keep_checkpoints)->capture_default_str();
    cmd->add_flag("--flip", c.flip, "Random horizontal flips");
    cmd->add_flag("--random-crop", c.random_crop, "Random crops from images decoded 1/8 larger");
    add_setting_option(cmd, "pairs", c.pairs)->capture_default_str();
    cmd->add_option("--recipe", o->recipe, "Training recipe: stable (EMA of G, instance noise 0.2 fading to 0, R1 penalty 1) or dcgan "
                    "(the lecture's DCGAN exactly); the flags below change one part of it")
        ->check(CLI::IsMember(recipe_names()))->capture_default_str();
    Recipe& r = o->parts;
    cmd->add_option("--d-norm", o->d_norm, "Discriminator normalisation: batch or spectral")
        ->check(CLI::IsMember({"batch", "spectral"}));
    cmd->add_option("--loss", o->loss, "bce (non-saturating, from logits) or hinge")->check(CLI::IsMember({"bce", "hinge"}));
    add_setting_option(cmd, "d_lr_scale", r.d_lr_scale);
    add_setting_option(cmd, "real_label", r.real_label);
    add_setting_option(cmd, "instance_noise", r.instance_noise);
    cmd->add_option("--noise-target", r.noise_target,
                    "Instead of annealing the instance noise, adapt it to hold D's accuracy at this value, "
                    "then fade it to 0 over the run's last quarter (0: off, or 0.5 .. 0.99); --instance-noise is "
                    "where it starts")
        ->check([](const std::string& text) {
            return valid_noise_target(std::strtod(text.c_str(), nullptr)) ? std::string() : "not 0 and not in [0.5, 1)";
        });
    cmd->add_option("--augment", r.augment, "Differentiable augmentation of D's inputs: none or a comma list of "
                    "color, translation, cutout")
        ->check([](const std::string& text) {
            try {
                parse_augmentations(text);
                return std::string();
            } catch (const Error& e) {
                return std::string(e.what());
            }
        });
    cmd->add_option("--augment-target", r.augment_target,
                    "Augment each image D sees with a probability that adapts to hold D's accuracy at this value "
                    "(adaptive discriminator augmentation; 0: off, or 0.5 .. 0.99); needs --augment")
        ->check([](const std::string& text) {
            return valid_noise_target(std::strtod(text.c_str(), nullptr)) ? std::string() : "not 0 and not in [0.5, 1)";
        });
    cmd->add_option("--ema", o->ema, "Keep an exponential moving average of G's weights for samples: on or off")
        ->check(CLI::IsMember({"on", "off"}));
    add_setting_option(cmd, "r1_gamma", r.r1_gamma);
    add_setting_option(cmd, "r1_every", r.r1_every);
    add_setting_option(cmd, "ema_halflife", r.ema_halflife);
    add_setting_option(cmd, "ema_rampup", r.ema_rampup);
    cmd->add_option("--cuda-graphs", o->cuda_graphs,
                    "On CUDA, record the training step in CUDA graphs and replay them (experimental: not yet "
                    "measured on a GPU): on or off")
        ->check(CLI::IsMember({"on", "off"}))->capture_default_str();
    cmd->add_option("--tensorboard", o->tensorboard, "Also write TensorBoard event files to RUN/tensorboard: on or off")
        ->check(CLI::IsMember({"on", "off"}))->capture_default_str();
    cmd->add_option("--cache-dir", o->cache_dir,
                    "Save the decoded images here and reuse them in later runs (images from files: RUN/cache "
                    "when not given)");
    cmd->add_flag("--resume", o->resume, "Continue the run in --out from its latest checkpoint");
    return {cmd, [o, cmd] { return run_train(*o, *cmd); }};
}

} // namespace latentlab::cli
