// SPDX-License-Identifier: GPL-3.0-or-later
// The CUDA path, on a machine with an NVIDIA GPU (CTest label `cuda`). It is a
// plain executable, not a Qt Test one: GPU servers (bench/gpu/check.sh) have
// LibTorch and a compiler but no Qt. Without a CUDA device it says so and
// exits 77, which CTest reports as skipped.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include <torch/cuda.h>
#include <torch/torch.h>

#include "checkpoint/checkpoint_file.h"
#include "checkpoint/checkpoint_store.h"
#include "checkpoint/generator_snapshot.h"
#include "common/cuda_backend.h"
#include "core/engine_fixture.h"
#include "data/device_batches.h"
#include "latent/latent_batch.h"
#include "models/generate.h"
#include "train/metrics_feed.h"

using namespace latentlab;
using namespace latentlab::testing;

namespace {

constexpr int kSkipped = 77;

struct Failure {
    std::string what;
};

void check(bool ok, const std::string& what) {
    if (!ok) throw Failure{what};
}

// A run folder under the system's temporary folder, removed afterwards.
struct TempDir {
    std::filesystem::path path;
    explicit TempDir(const std::string& name)
        : path(std::filesystem::temp_directory_path() / ("latentlab-cuda-" + name + "-" + std::to_string(::getpid()))) {
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::string str() const { return path.string(); }
};

TrainConfig cuda_config(const std::string& dir, int epochs = 1) {
    TrainConfig c = tiny_config(dir, epochs);
    c.device = "cuda";
    return c;
}

double max_abs_difference(const at::Tensor& a, const at::Tensor& b) {
    return (a.to(at::kCPU, at::kDouble) - b.to(at::kCPU, at::kDouble)).abs().max().item<double>();
}

// A few iterations on CUDA, every one reported with finite values, with
// batches made on the device and from host bytes, and a checkpoint at the end.
void trains_on_cuda_with(const TrainConfig& c);
void trains_on_cuda() {
    for (const char* placement : {"device", "host"}) {
        TempDir dir(std::string("train-") + placement);
        TrainConfig c = cuda_config(dir.str());
        c.data_placement = placement;
        trains_on_cuda_with(c);
    }
}

void trains_on_cuda_with(const TrainConfig& c) {
    Engine engine(c, tiny_faces(128));
    Recorder rec;
    engine.add_observer(&rec);
    const TrainingEnd end = engine.run();
    check(end.reason == EndReason::Finished, "the run ended with '" + end.message + "'");
    const auto m = rec.metrics();
    check(m.size() == 8, c.data_placement + ": 8 iterations reported, got " + std::to_string(m.size()));
    for (std::size_t i = 0; i < m.size(); ++i) {
        check(m[i].iteration == static_cast<std::int64_t>(i) + 1, "iterations reported in order");
        check(m[i].finite && m[i].loss_d > 0 && m[i].loss_g > 0, "finite, positive losses");
        check(m[i].accuracy_real >= 0 && m[i].accuracy_real <= 1, "an accuracy in [0, 1]");
    }
    check(std::filesystem::exists(CheckpointStore::latest_in(c.run_dir)), "a checkpoint was written");
}

// One epoch on CUDA in `dir`; returns its checkpoint.
std::string checkpoint_trained_on_cuda(const TempDir& dir) {
    const TrainConfig c = cuda_config(dir.str());
    Engine engine(c, tiny_faces(128));
    check(engine.run().reason == EndReason::Finished, "the run finished");
    return CheckpointStore::latest_in(c.run_dir);
}

// A checkpoint written on CUDA opens on the CPU and draws the same samples.
void a_cuda_checkpoint_samples_alike_on_the_cpu() {
    TempDir dir("samples");
    const std::string path = checkpoint_trained_on_cuda(dir);
    const TrainConfig c = tiny_config(dir.str());
    const at::Tensor latents = latent_batch(3, 16, c.model.nz);
    GeneratorSnapshot on_cuda = load_generator(path, c10::Device(c10::kCUDA, 0));
    GeneratorSnapshot on_cpu = load_generator(path, c10::Device(c10::kCPU));
    const double diff = max_abs_difference(generate(on_cuda.generator, latents, on_cuda.device),
                                           generate(on_cpu.generator, latents, on_cpu.device));
    check(diff < 1e-3, "CUDA and CPU samples differ by " + std::to_string(diff));
}

// A CPU run's checkpoint resumes on CUDA and trains on to the end.
void a_cpu_checkpoint_resumes_on_cuda() {
    TempDir dir("resume");
    TrainConfig c = tiny_config(dir.str(), 2);
    const auto data = tiny_faces(128);
    {
        Engine cpu(c, data);
        Recorder rec;
        check(run_until(cpu, rec, 5) == EndReason::Stopped, "the CPU run stopped");
    }
    c.device = "cuda";
    Engine resumed(c, data);
    resumed.resume_from(CheckpointStore::latest_in(c.run_dir));
    check(resumed.iteration() == 5, "resumed at iteration 5");
    const TrainingEnd end = resumed.run();
    check(end.reason == EndReason::Finished, "the resumed run ended with '" + end.message + "'");
    check(resumed.iteration() == 16, "16 iterations in all, got " + std::to_string(resumed.iteration()));
}

// Stopped and resumed on CUDA ends where the uninterrupted run ends, within
// what cuDNN's nondeterministic kernels allow.
void a_cuda_run_resumes_exactly_enough() {
    const auto data = tiny_faces(128);
    TempDir straight_dir("straight"), interrupted_dir("interrupted");
    TrainConfig c = cuda_config(straight_dir.str(), 2);
    Engine straight(c, data);
    check(straight.run().reason == EndReason::Finished, "the uninterrupted run finished");
    c.run_dir = interrupted_dir.str();
    {
        Engine first(c, data);
        Recorder rec;
        check(run_until(first, rec, 6) == EndReason::Stopped, "the first half stopped");
    }
    Engine resumed(c, data);
    resumed.resume_from(CheckpointStore::latest_in(c.run_dir));
    check(resumed.run().reason == EndReason::Finished, "the resumed run finished");
    const auto expected = straight.sampling_generator()->parameters();
    const auto got = resumed.sampling_generator()->parameters();
    double worst = 0;
    for (std::size_t i = 0; i < expected.size(); ++i) worst = std::max(worst, max_abs_difference(expected[i], got[i]));
    check(worst < 1e-3, "the resumed generator's weights differ by up to " + std::to_string(worst));
}

// Pause, single steps and stop on CUDA: every step's metrics arrive before the
// engine waits again, and the stop leaves a checkpoint at the exact position.
void pause_step_stop_on_cuda() {
    TempDir dir("control");
    const TrainConfig c = cuda_config(dir.str(), 50);
    Engine engine(c, tiny_faces(64));
    Recorder rec;
    engine.add_observer(&rec);
    engine.control().pause();
    TrainingEnd end;
    std::thread runner([&] { end = engine.run(); });
    const auto wait_until = [](const std::function<bool()>& done) {
        const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (!done() && std::chrono::steady_clock::now() < limit) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        return done();
    };
    try {
        check(wait_until([&] { return engine.control().waiting(); }), "the engine waits while paused");
        check(rec.iterations.load() == 0, "paused before the first iteration");
        engine.control().step(3);
        check(wait_until([&] { return rec.iterations.load() == 3 && engine.control().waiting(); }),
              "three steps reported, got " + std::to_string(rec.iterations.load()));
        engine.control().resume();
        check(wait_until([&] { return rec.iterations.load() > 10; }), "training goes on after resume");
    } catch (...) {
        engine.control().stop();
        runner.join();
        throw;
    }
    engine.control().stop();
    runner.join();
    check(end.reason == EndReason::Stopped, "stopped");
    CheckpointReader reader(CheckpointStore::latest_in(c.run_dir));
    check(reader.meta().at("iteration").get<std::int64_t>() == rec.iterations.load(),
          "the checkpoint is at the last reported iteration");
    check(reader.meta().value("device_rng", false), "the checkpoint holds the device generator's state");
}

// The explorer's path: a checkpoint opened on CUDA draws what it draws on the CPU,
// with running and with batch statistics.
void the_explorer_generates_on_cuda() {
    TempDir dir("explore");
    const std::string path = checkpoint_trained_on_cuda(dir);
    const TrainConfig c = tiny_config(dir.str());
    const at::Tensor latents = latent_batch(9, 8, c.model.nz);
    for (const NormStatistics statistics : {NormStatistics::Running, NormStatistics::Batch}) {
        GeneratorSnapshot a = load_generator(path, c10::Device(c10::kCUDA, 0));
        GeneratorSnapshot b = load_generator(path, c10::Device(c10::kCPU));
        const at::Tensor on_cuda = generate(a.generator, latents, a.device, statistics);
        check(on_cuda.device().is_cpu() && on_cuda.size(0) == 8, "generate returns CPU images");
        const double diff = max_abs_difference(on_cuda, generate(b.generator, latents, b.device, statistics));
        check(diff < 1e-3, "explorer images differ by " + std::to_string(diff));
    }
}

// Batches made on the GPU hold what the host threads assemble.
void device_batches_match_the_host_loader_on_cuda() {
    const auto data = tiny_faces(96);
    BatchLoaderOptions o;
    o.batch_size = 16;
    o.crop_size = 32;
    o.flip = true;
    o.seed = 4;
    BatchLoader host(data, o);
    DeviceBatches device(data, o, c10::Device(c10::kCUDA, 0));
    device.start_epoch(2);
    for (std::int64_t b = 0; b < device.batches_per_epoch(); ++b) {
        const at::Tensor d = device.next();
        check(d.is_cuda(), "the batch is on the GPU");
        check(torch::equal(d.cpu(), host.assemble(2, b)), "batch " + std::to_string(b) + " differs from the host's");
    }
}

// The metrics feed hands every iteration over, in order, without waiting for the device.
void the_metrics_feed_delivers_everything_in_order() {
    MetricsFeed feed(c10::Device(c10::kCUDA, 0), 4, 10.0);
    std::vector<IterationMetrics> got;
    for (int i = 1; i <= 10; ++i) {
        IterationMetrics m;
        m.iteration = i;
        const at::Tensor scalars = at::full({kStepScalars}, static_cast<double>(i),
                                            at::TensorOptions().dtype(at::kDouble).device(at::kCUDA));
        feed.push(scalars, at::Tensor(), m);
        for (auto& r : feed.ready()) got.push_back(r);
    }
    for (auto& r : feed.drain()) got.push_back(r);
    check(got.size() == 10 && feed.pending() == 0, "10 iterations delivered");
    for (int i = 0; i < 10; ++i) {
        check(got[i].iteration == i + 1, "in order");
        check(got[i].loss_d == i + 1 && got[i].augment_p == i + 1, "with their own values");
    }
}

// With CUDA graphs the step is recorded after a few eager iterations, one
// graph per kind of iteration (lazy R1 every 2nd iteration: two), and
// replayed: the replays train (the weights end near an eager run's from the
// same seed), every iteration reports its own finite values, and the run's
// checkpoint resumes.
void cuda_graphs_record_and_replay_the_step() {
    const auto data = tiny_faces(128);
    TempDir eager_dir("eager"), graphed_dir("graphed"), fresh_dir("fresh");
    TrainConfig c = cuda_config(eager_dir.str(), 2);
    c.use_recipe("stable");
    c.recipe.r1_every = 2;
    Engine eager(c, data);
    check(eager.run().reason == EndReason::Finished, "the eager run finished");
    c.run_dir = graphed_dir.str();
    c.cuda_graphs = true;
    Recorder rec;
    std::int64_t iterations = 0;
    {
        Engine graphed(c, data);
        graphed.add_observer(&rec);
        const TrainingEnd end = graphed.run();
        check(end.reason == EndReason::Finished, "the graphed run ended with '" + end.message + "'");
        for (const auto& text : rec.notices()) check(false, "notice: " + text);
        check(graphed.pair(0).graphed(), "the pair still trains from graphs");
        const auto m = rec.metrics();
        iterations = static_cast<std::int64_t>(m.size());
        check(iterations == graphed.iteration(), "every iteration reported");
        for (std::size_t i = 0; i < m.size(); ++i) {
            check(m[i].finite, "finite losses at iteration " + std::to_string(i + 1));
            if (i > 0) check(m[i].loss_d != m[i - 1].loss_d, "iteration " + std::to_string(i + 1) + " repeats the last one's loss");
        }
        const auto expected = eager.generator()->parameters();
        const auto got = graphed.generator()->parameters();
        double worst = 0, moved = 0;
        for (std::size_t i = 0; i < expected.size(); ++i) worst = std::max(worst, max_abs_difference(expected[i], got[i]));
        // The same seed's starting weights, from an engine in a folder of its own.
        TrainConfig fresh_config = c;
        fresh_config.run_dir = fresh_dir.str();
        Engine fresh(fresh_config, data);
        const auto initial = fresh.generator()->parameters();
        for (std::size_t i = 0; i < got.size(); ++i) moved = std::max(moved, max_abs_difference(initial[i], got[i]));
        std::printf("       graphed against eager: weights differ by up to %.2e; moved from the start by up to %.2e\n",
                    worst, moved);
        check(moved > 1e-3, "the graphed run's weights moved");
        check(worst < 0.1 * moved, "the graphed run's weights are far from the eager run's");
    }
    CheckpointReader reader(CheckpointStore::latest_in(c.run_dir));
    check(reader.meta().at("iteration").get<std::int64_t>() == iterations, "the checkpoint is at the last iteration");
    c.epochs = 3;
    Engine resumed(c, data);
    resumed.resume_from(CheckpointStore::latest_in(c.run_dir));
    check(resumed.run().reason == EndReason::Finished, "the graphed run resumed");
}

} // namespace

int main() {
    if (!load_cuda_backend().loaded || !torch::cuda::is_available()) {
        std::printf("SKIP: no CUDA device (%s)\n",
                    load_cuda_backend().loaded ? "CUDA support loaded, no device found" : load_cuda_backend().detail.c_str());
        return kSkipped;
    }
    const std::vector<std::pair<const char*, void (*)()>> tests{
        {"trains_on_cuda", trains_on_cuda},
        {"a_cuda_checkpoint_samples_alike_on_the_cpu", a_cuda_checkpoint_samples_alike_on_the_cpu},
        {"a_cpu_checkpoint_resumes_on_cuda", a_cpu_checkpoint_resumes_on_cuda},
        {"a_cuda_run_resumes_exactly_enough", a_cuda_run_resumes_exactly_enough},
        {"pause_step_stop_on_cuda", pause_step_stop_on_cuda},
        {"the_explorer_generates_on_cuda", the_explorer_generates_on_cuda},
        {"device_batches_match_the_host_loader_on_cuda", device_batches_match_the_host_loader_on_cuda},
        {"the_metrics_feed_delivers_everything_in_order", the_metrics_feed_delivers_everything_in_order},
        {"cuda_graphs_record_and_replay_the_step", cuda_graphs_record_and_replay_the_step},
    };
    int failed = 0;
    for (const auto& [name, test] : tests) {
        const auto t0 = std::chrono::steady_clock::now();
        try {
            test();
            std::printf("PASS   %s (%.1f s)\n", name,
                        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        } catch (const Failure& f) {
            ++failed;
            std::printf("FAIL   %s: %s\n", name, f.what.c_str());
        } catch (const std::exception& e) {
            ++failed;
            std::printf("FAIL   %s: exception: %s\n", name, e.what());
        }
        std::fflush(stdout);
    }
    std::printf("%d of %zu passed\n", static_cast<int>(tests.size()) - failed, tests.size());
    return failed == 0 ? 0 : 1;
}
