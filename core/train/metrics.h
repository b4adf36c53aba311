// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace latentlab {

// What one iteration measured.
struct IterationMetrics {
    std::int64_t epoch = 0;        // 0-based
    std::int64_t batch = 0;        // 0-based within the epoch
    std::int64_t iteration = 0;    // 1-based count of iterations done in the run
    double loss_d = 0, loss_g = 0;
    double d_x = 0;                // mean D(x) on the real batch
    double d_g_z1 = 0;             // mean D(G(z)) before the D update
    double d_g_z2 = 0;             // mean D(G(z)) after the D update (the G step)
    double accuracy_real = 0;      // share of real images D calls real
    double accuracy_fake = 0;      // share of fakes D calls fake
    double seconds = 0;            // wall time of the iteration, data wait included
    double data_wait_seconds = 0;
    double images_per_second = 0;
    bool finite = true;            // both losses finite
    double lr_g = 0, lr_d = 0;     // the learning rates this iteration used (the first pair's)
    double instance_noise = 0;     // the std of the noise on D's inputs this iteration (the first pair's)
    double augment_p = 0;          // with an augment target: the share of D's images augmented (the first pair's)

    // Running (exponential) averages of the same quantities, for smooth display.
    double avg_loss_d = 0, avg_loss_g = 0, avg_d_x = 0, avg_d_g_z1 = 0, avg_d_g_z2 = 0;
    double avg_accuracy_real = 0, avg_accuracy_fake = 0, avg_images_per_second = 0;
};

nlohmann::json to_json(const IterationMetrics& m);

// Seconds left for `total_iterations` at the running average speed (the raw
// speed of `m` until an average exists); 0 when nothing is known yet.
double eta_seconds(const IterationMetrics& m, std::int64_t batch_size, std::int64_t total_iterations);

// Whether an iteration goes into a run's logs (metrics.jsonl/.csv and the
// TensorBoard file): every `log_every`-th, the last of each epoch, and every
// non-finite one.
bool is_logged(const IterationMetrics& m, int log_every, std::int64_t batches_per_epoch);

// "MM:SS", or "H:MM:SS" from an hour on; "--:--" for unknown or absurd values.
std::string format_duration(double seconds);

// Averages over one epoch.
struct EpochSummary {
    std::int64_t epoch = 0;
    std::int64_t iterations = 0;
    double loss_d = 0, loss_g = 0, d_x = 0, d_g_z1 = 0, d_g_z2 = 0;
    double accuracy_real = 0, accuracy_fake = 0;
    double images_per_second = 0;
    double data_wait_share = 0;  // data wait / iteration time
    double seconds = 0;
};

nlohmann::json to_json(const EpochSummary& s);

// Keeps the running averages of IterationMetrics and the epoch sums.
class MetricsMeter {
public:
    explicit MetricsMeter(double smoothing = 0.98) : smoothing_(smoothing) {}
    // Fills m's avg_* fields and adds m to the epoch sums.
    void add(IterationMetrics& m, std::int64_t batch_size);
    void start_epoch(std::int64_t epoch);
    EpochSummary epoch_summary() const;

    nlohmann::json state() const;               // for checkpoints
    void restore(const nlohmann::json& state);  // from checkpoints

private:
    double smoothing_;
    bool have_average_ = false;
    IterationMetrics average_;
    EpochSummary sums_;
    double wait_sum_ = 0;
    std::int64_t images_ = 0;
};

} // namespace latentlab
