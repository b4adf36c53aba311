// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/setting_ranges.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "common/error.h"

namespace latentlab {
namespace {

SettingRange whole(std::string_view key, std::string_view name, std::string_view flag, std::string_view help,
                   double low, double high) {
    SettingRange r{key, name, flag, help, low, high};
    r.integer = true;
    return r;
}

SettingRange decimal(std::string_view key, std::string_view name, std::string_view flag, std::string_view help,
                     double low, double high, bool low_open = false, bool high_open = false) {
    return SettingRange{key, name, flag, help, low, high, low_open, high_open, false};
}

} // namespace

const std::vector<SettingRange>& setting_ranges() {
    static const std::vector<SettingRange> table{
        whole("epochs", "epochs", "--epochs", "Passes over the data", 1, 100000),
        whole("batch_size", "batch size", "--batch-size",
              "Images per iteration; the last partial batch of an epoch is dropped", 1, 65536),
        whole("nz", "nz", "--nz", "Length of the latent vector z the generator draws from", 1, 4096),
        whole("ngf", "ngf", "--ngf", "Filters in the generator's last hidden block; the others are multiples", 1, 4096),
        whole("ndf", "ndf", "--ndf", "Filters in the discriminator's first block; the others are multiples", 1, 4096),
        decimal("lr", "learning rate", "--lr", "Adam's learning rate for G and D (the lecture's 0.0002)", 0, 1, true),
        decimal("beta1", "beta1", "--beta1", "Adam's first-moment decay (the lecture's 0.5)", 0, 1, false, true),
        decimal("beta2", "beta2", "", "Adam's second-moment decay", 0, 1, false, true),
        whole("workers", "workers", "--workers", "Data threads (decode and prefetch)", 1, 256),
        whole("threads", "threads", "--threads", "LibTorch CPU threads (0 = one per core)", 0, 1024),
        whole("sample_every", "sample-every", "--sample-every",
              "Iterations between sample grids (0 = epoch ends only)", 0, 100000000),
        whole("log_every", "log-every", "--log-every", "Iterations between metrics lines", 1, 100000000),
        decimal("live_sample_seconds", "live sample interval", "",
                "Seconds between display-only sample grids (0 = none)", 0, 3600),
        whole("keep_checkpoints", "keep-checkpoints", "--keep", "Checkpoints kept besides latest", 1, 100000),
        whole("sample_count", "sample count", "", "Images in the fixed-noise grid", 1, 1024),
        whole("pairs", "pairs", "--pairs",
              "Independent G/D pairs trained on the same batches; every epoch each generator is judged by the "
              "other pairs' discriminators and the best one is explored",
              1, kMaxPairs),
        decimal("d_lr_scale", "D learning-rate scale", "--d-lr-scale",
                "D's learning rate is the learning rate times this (two time-scale update)", 0.001, 100),
        decimal("real_label", "real label", "--real-label",
                "BCE target for real images; below 1 is one-sided label smoothing", 0.5, 1, true),
        decimal("instance_noise", "instance noise", "--instance-noise",
                "Std of Gaussian noise added to every image D sees, fading to 0 over the run", 0, 2),
        decimal("r1_gamma", "R1 penalty", "--r1",
                "Weight of the R1 gradient penalty on real images (gamma / 2 times the squared norm of D's gradient "
                "at each real image; 0: off)",
                0, 1000),
        whole("r1_every", "R1 interval", "--r1-every",
              "Lazy R1: the penalty on every k-th iteration only, weighted by k (1: every iteration)", 1, 1000),
        decimal("ema_halflife", "EMA half-life", "--ema-halflife",
                "Images after which an old weight counts half in the average of G's weights", 0, 1e9),
        decimal("ema_rampup", "EMA ramp-up", "--ema-rampup",
                "Early in a run the half-life is at most this fraction of the images seen, so the first random "
                "weights leave the average quickly (0: the full half-life from the start)",
                0, 1),
    };
    return table;
}

const SettingRange& setting_range(std::string_view key) {
    for (const auto& r : setting_ranges())
        if (r.key == key) return r;
    throw std::out_of_range("no setting range for '" + std::string(key) + "'");
}

bool SettingRange::contains(double value) const {
    if (!std::isfinite(value)) return false;
    if (integer && value != std::floor(value)) return false;
    if (low_open ? value <= low : value < low) return false;
    return high_open ? value < high : value <= high;
}

std::string SettingRange::describe() const {
    const std::string lo = format_setting_value(low), hi = format_setting_value(high);
    if (low_open && high_open) return "above " + lo + ", below " + hi;
    if (low_open) return "above " + lo + ", at most " + hi;
    if (high_open) return lo + " .. below " + hi;
    return lo + " .. " + hi;
}

std::string SettingRange::problem(double value) const {
    if (contains(value)) return {};
    return std::string(name) + " " + format_setting_value(value) + " is out of range (" + describe() +
           (integer ? ", whole numbers" : "") + ")";
}

void require_in_range(std::string_view key, double value) {
    const std::string why = setting_range(key).problem(value);
    if (!why.empty()) throw Error(why);
}

std::string format_setting_value(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.10g", value);
    return text;
}

} // namespace latentlab
