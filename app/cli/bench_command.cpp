// SPDX-License-Identifier: GPL-3.0-or-later
// bench: trains for a fixed number of iterations and reports the speed. It
// runs the same Engine as train, in a temporary run folder that it removes.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <numeric>

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "command.h"
#include "common/error.h"
#include "data/data_source.h"
#include "setting_option.h"
#include "train/device.h"
#include "train/engine.h"

namespace latentlab::cli {
namespace {

struct BenchOptions {
    std::string data = "random";
    int image_size = 64, batch_size = 128, iters = 50, warmup = 3, threads = 0, workers = 2;
    std::string device = "auto";
    std::string data_placement = "auto";
    std::string precision = "fp32";
    std::string cuda_graphs = "off";
    std::string recipe = kDefaultRecipe;
    double r1 = -1;  // the recipe's
    int r1_every = 0;  // the recipe's
    bool json = false;
};

// Collects iteration times after the warm-up, then stops the engine. The
// speed is measured by the wall clock between the arrival of the last warm-up
// iteration's metrics and of the last measured one's: on CUDA the host only
// queues work and an iteration's metrics arrive once the device has done it,
// so an iteration's own `seconds` is the time to queue it, not to run it.
class BenchObserver : public TrainingObserver {
public:
    BenchObserver(EngineControl& control, int warmup, int iters) : control_(control), warmup_(warmup), iters_(iters) {}
    void on_start(const TrainingStart& s) override {
        device_ = s.device;
        on_device_ = s.batches_on_device;
    }
    void on_notice(const std::string& text) override { std::cerr << "note: " << text << "\n"; }
    void on_iteration(const IterationMetrics& m) override {
        const auto now = std::chrono::steady_clock::now();
        if (m.iteration == warmup_) start_ = now;
        if (m.iteration > warmup_ && m.iteration <= warmup_ + iters_) {
            seconds_.push_back(m.seconds);
            waits_.push_back(m.data_wait_seconds);
            wall_seconds_ = std::chrono::duration<double>(now - start_).count();
        }
        if (m.iteration >= warmup_ + iters_) control_.stop();
    }
    std::vector<double> seconds_, waits_;
    double wall_seconds_ = 0;
    std::string device_;
    bool on_device_ = false;

private:
    EngineControl& control_;
    int warmup_, iters_;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

long peak_memory_kib() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
    return -1;
}

int run_bench(const BenchOptions& o) {
    namespace fs = std::filesystem;
    TrainConfig config;
    config.use_recipe(o.recipe);
    if (o.r1 >= 0) config.recipe.r1_gamma = o.r1;
    if (o.r1_every > 0) config.recipe.r1_every = o.r1_every;
    config.model.image_size = o.image_size;
    config.batch_size = o.batch_size;
    config.device = o.device;
    config.threads = o.threads;
    config.workers = o.workers;
    config.data_placement = o.data_placement;
    config.precision = o.precision;
    config.cuda_graphs = o.cuda_graphs == "on";
    config.epochs = 100000;  // the observer stops it long before
    config.sample_every = 0;
    config.keep_checkpoints = 1;
    try {
        config.validate();
    } catch (const Error& e) {
        throw UsageError(e.what());
    }
    const int total = o.warmup + o.iters;
    // Enough random images that no epoch ends inside the measurement.
    config.data = o.data == "random" ? "random:" + std::to_string(static_cast<long long>(o.batch_size) * (total + 1)) : o.data;
    const DataSpec spec = parse_data_spec(config.data);
    DecodeOptions decode;
    decode.size = config.load_size();
    decode.workers = o.workers;
    auto data = std::make_shared<DecodedImages>(load_data(spec, decode, config.seed));

    const fs::path run_dir = fs::temp_directory_path() / ("latentlab-bench-" + std::to_string(::getpid()));
    config.run_dir = run_dir.string();
    TrainingEnd end;
    std::vector<double> seconds, waits;
    double wall = 0;
    bool on_device = false;
    std::string device;
    {
        Engine engine(config, data);
        BenchObserver bench(engine.control(), o.warmup, o.iters);
        engine.add_observer(&bench);
        end = engine.run();
        seconds = bench.seconds_;
        waits = bench.waits_;
        wall = bench.wall_seconds_;
        on_device = bench.on_device_;
        device = bench.device_;
    }
    std::error_code ec;
    fs::remove_all(run_dir, ec);
    if (end.reason == EndReason::Failed) throw Error(end.message);
    if (seconds.empty()) throw Error("bench: no iteration was measured");

    const double total_s = wall > 0 ? wall : std::accumulate(seconds.begin(), seconds.end(), 0.0);
    const double wait_s = std::accumulate(waits.begin(), waits.end(), 0.0);
    std::vector<double> sorted = seconds;
    std::sort(sorted.begin(), sorted.end());
    const double ms_per_iter = 1000.0 * total_s / seconds.size();
    const double median_ms = 1000.0 * sorted[sorted.size() / 2];
    const double images_per_s = o.batch_size * seconds.size() / total_s;
    const double peak_mb = peak_memory_kib() / 1024.0;
    nlohmann::json report{{"device", device}, {"libtorch", libtorch_version()}, {"image_size", o.image_size},
                          {"batch_size", o.batch_size}, {"data", spec.describe()},
                          {"batches_on_device", on_device}, {"precision", o.precision}, {"cuda_graphs", o.cuda_graphs},
                          {"recipe", o.recipe}, {"r1_gamma", config.recipe.r1_gamma}, {"r1_every", config.recipe.r1_every}, {"iterations", seconds.size()},
                          {"warmup", o.warmup}, {"images_per_second", images_per_s}, {"ms_per_iteration", ms_per_iter},
                          {"median_ms_per_iteration", median_ms}, {"data_wait_ms_per_iteration", 1000.0 * wait_s / seconds.size()},
                          {"data_wait_share", wait_s / total_s}, {"peak_memory_mb", peak_mb}};
    if (o.json) {
        std::cout << report.dump(2) << "\n";
        return kExitOk;
    }
    std::printf("device       %s\nlibtorch     %s\nmodel        DCGAN %dx%d, nz 100, ngf 64, ndf 64, batch %d, recipe %s\n"
                "data         %s (batches made %s)\niterations   %zu measured after %d warm-up\nimages/s     %.1f\n"
                "ms/iter      %.1f (median %.1f)\ndata wait    %.2f ms/iter (%.2f%%)\npeak memory  %.0f MB\n",
                device.c_str(), libtorch_version().c_str(), o.image_size, o.image_size, o.batch_size, o.recipe.c_str(),
                spec.describe().c_str(), on_device ? "on the device" : "by host threads", seconds.size(), o.warmup, images_per_s, ms_per_iter, median_ms,
                1000.0 * wait_s / seconds.size(), 100.0 * wait_s / total_s, peak_mb);
    return kExitOk;
}

} // namespace

Command add_bench_command(CLI::App& app) {
    auto o = std::make_shared<BenchOptions>();
    CLI::App* cmd = app.add_subcommand("bench", "Measure training speed (images/s, ms per iteration, data wait)");
    cmd->add_option("--data", o->data, "random or a data SPEC")->capture_default_str();
    cmd->add_option("--image-size", o->image_size, "Training size")->check(CLI::IsMember({32, 64, 128}))->capture_default_str();
    cmd->add_option("--batch-size", o->batch_size, "Batch size")->check(CLI::Range(1, 65536))->capture_default_str();
    cmd->add_option("--iters", o->iters, "Measured iterations")->check(CLI::Range(1, 100000))->capture_default_str();
    cmd->add_option("--warmup", o->warmup, "Iterations run before measuring")->check(CLI::Range(0, 100000))->capture_default_str();
    cmd->add_option("--device", o->device, "auto, cpu, cuda or cuda:N")->capture_default_str();
    cmd->add_option("--threads", o->threads, "LibTorch CPU threads (0 = one per core)")->check(CLI::Range(0, 1024))->capture_default_str();
    cmd->add_option("--workers", o->workers, "Data threads")->check(CLI::Range(1, 256))->capture_default_str();
    cmd->add_option("--data-placement", o->data_placement, "Where batches are made: auto, host or device (see train)")
        ->check(CLI::IsMember(data_placements()))->capture_default_str();
    cmd->add_option("--recipe", o->recipe, "Training recipe (see train); dcgan is the step bench/dcgan_pytorch.py runs")
        ->check(CLI::IsMember(recipe_names()))->capture_default_str();
    cmd->add_option("--r1", o->r1, "R1 penalty gamma instead of the recipe's (see train)")
        ->check(setting_check(setting_range("r1_gamma")));
    cmd->add_option("--r1-every", o->r1_every, "Lazy R1 interval instead of the recipe's (see train)")
        ->check(setting_check(setting_range("r1_every")));
    cmd->add_option("--precision", o->precision, "auto, fp32 or bf16 (see train)")
        ->check(CLI::IsMember(precisions()))->capture_default_str();
    cmd->add_option("--cuda-graphs", o->cuda_graphs, "on or off (see train)")
        ->check(CLI::IsMember({"on", "off"}))->capture_default_str();
    cmd->add_flag("--json", o->json, "Print the results as JSON");
    return {cmd, [o] { return run_bench(*o); }};
}

} // namespace latentlab::cli
