// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/metrics.h"

#include <cstdio>

#include <nlohmann/json.hpp>

namespace latentlab {

nlohmann::json to_json(const IterationMetrics& m) {
    return {{"epoch", m.epoch + 1}, {"batch", m.batch}, {"iteration", m.iteration},
            {"loss_d", m.loss_d}, {"loss_g", m.loss_g}, {"d_x", m.d_x},
            {"d_g_z1", m.d_g_z1}, {"d_g_z2", m.d_g_z2},
            {"accuracy_real", m.accuracy_real}, {"accuracy_fake", m.accuracy_fake},
            {"images_per_second", m.images_per_second}, {"data_wait_seconds", m.data_wait_seconds},
            {"seconds", m.seconds}, {"finite", m.finite}, {"lr_g", m.lr_g}, {"lr_d", m.lr_d},
            {"instance_noise", m.instance_noise},
            {"augment_p", m.augment_p}};
}

nlohmann::json to_json(const EpochSummary& s) {
    return {{"epoch", s.epoch + 1}, {"iterations", s.iterations}, {"loss_d", s.loss_d}, {"loss_g", s.loss_g},
            {"d_x", s.d_x}, {"d_g_z1", s.d_g_z1}, {"d_g_z2", s.d_g_z2},
            {"accuracy_real", s.accuracy_real}, {"accuracy_fake", s.accuracy_fake},
            {"images_per_second", s.images_per_second}, {"data_wait_share", s.data_wait_share},
            {"seconds", s.seconds}};
}

bool is_logged(const IterationMetrics& m, int log_every, std::int64_t batches_per_epoch) {
    return m.iteration % log_every == 0 || !m.finite || m.batch + 1 == batches_per_epoch;
}

double eta_seconds(const IterationMetrics& m, std::int64_t batch_size, std::int64_t total_iterations) {
    const double rate = m.avg_images_per_second > 0 ? m.avg_images_per_second : m.images_per_second;
    if (rate <= 0 || total_iterations <= m.iteration) return 0.0;
    return static_cast<double>(batch_size) / rate * static_cast<double>(total_iterations - m.iteration);
}

std::string format_duration(double seconds) {
    constexpr double kLongest = 1e8;  // beyond this an estimate means nothing
    if (!(seconds >= 0) || seconds > kLongest) return "--:--";
    const auto s = static_cast<long long>(seconds + 0.5);
    char text[32];
    if (s >= 3600) std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    else std::snprintf(text, sizeof text, "%02lld:%02lld", s / 60, s % 60);
    return text;
}

void MetricsMeter::add(IterationMetrics& m, std::int64_t batch_size) {
    const auto blend = [&](double& avg, double value) {
        avg = have_average_ ? smoothing_ * avg + (1.0 - smoothing_) * value : value;
    };
    if (m.finite) {
        blend(average_.loss_d, m.loss_d);
        blend(average_.loss_g, m.loss_g);
        blend(average_.d_x, m.d_x);
        blend(average_.d_g_z1, m.d_g_z1);
        blend(average_.d_g_z2, m.d_g_z2);
        blend(average_.accuracy_real, m.accuracy_real);
        blend(average_.accuracy_fake, m.accuracy_fake);
        blend(average_.images_per_second, m.images_per_second);
        have_average_ = true;
    }
    m.avg_loss_d = average_.loss_d;
    m.avg_loss_g = average_.loss_g;
    m.avg_d_x = average_.d_x;
    m.avg_d_g_z1 = average_.d_g_z1;
    m.avg_d_g_z2 = average_.d_g_z2;
    m.avg_accuracy_real = average_.accuracy_real;
    m.avg_accuracy_fake = average_.accuracy_fake;
    m.avg_images_per_second = average_.images_per_second;

    sums_.iterations += 1;
    sums_.loss_d += m.loss_d;
    sums_.loss_g += m.loss_g;
    sums_.d_x += m.d_x;
    sums_.d_g_z1 += m.d_g_z1;
    sums_.d_g_z2 += m.d_g_z2;
    sums_.accuracy_real += m.accuracy_real;
    sums_.accuracy_fake += m.accuracy_fake;
    sums_.seconds += m.seconds;
    wait_sum_ += m.data_wait_seconds;
    images_ += batch_size;
}

void MetricsMeter::start_epoch(std::int64_t epoch) {
    sums_ = EpochSummary{};
    sums_.epoch = epoch;
    wait_sum_ = 0;
    images_ = 0;
}

EpochSummary MetricsMeter::epoch_summary() const {
    EpochSummary s = sums_;
    if (s.iterations == 0) return s;
    const double n = static_cast<double>(s.iterations);
    s.loss_d /= n;
    s.loss_g /= n;
    s.d_x /= n;
    s.d_g_z1 /= n;
    s.d_g_z2 /= n;
    s.accuracy_real /= n;
    s.accuracy_fake /= n;
    s.images_per_second = s.seconds > 0 ? static_cast<double>(images_) / s.seconds : 0.0;
    s.data_wait_share = s.seconds > 0 ? wait_sum_ / s.seconds : 0.0;
    return s;
}

nlohmann::json MetricsMeter::state() const {
    return {{"have_average", have_average_},
            {"average", {average_.loss_d, average_.loss_g, average_.d_x, average_.d_g_z1, average_.d_g_z2,
                         average_.accuracy_real, average_.accuracy_fake, average_.images_per_second}}};
}

void MetricsMeter::restore(const nlohmann::json& state) {
    if (!state.is_object() || !state.contains("average")) return;
    have_average_ = state.value("have_average", false);
    const auto& a = state.at("average");
    if (!a.is_array() || a.size() != 8) return;
    average_.loss_d = a[0];
    average_.loss_g = a[1];
    average_.d_x = a[2];
    average_.d_g_z1 = a[3];
    average_.d_g_z2 = a[4];
    average_.accuracy_real = a[5];
    average_.accuracy_fake = a[6];
    average_.images_per_second = a[7];
}

} // namespace latentlab
