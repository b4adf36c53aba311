// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/tensorboard_log.h"

#include <chrono>
#include <filesystem>
#include <initializer_list>
#include <utility>
#include <vector>

#include <unistd.h>

#include "common/error.h"
#include "imaging/png_file.h"
#include "run/tensorboard_events.h"
#include "run/tfrecord.h"

namespace latentlab {
namespace {

double wall_time() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string host_name() {
    char name[256] = {};
    if (gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "localhost";
    return name;
}

void write_scalars(TfRecordWriter& writer, std::int64_t step, const std::string& prefix,
                   std::initializer_list<std::pair<const char*, double>> values) {
    std::vector<std::pair<std::string, float>> tagged;
    for (const auto& [key, value] : values) tagged.emplace_back(prefix + key, static_cast<float>(value));
    writer.write(tensorboard::scalars_event(wall_time(), step, tagged));
}

} // namespace

TensorboardLog::TensorboardLog(std::string run_dir) : dir_(std::filesystem::path(run_dir) / "tensorboard") {
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    if (ec) throw Error(dir_ + ": cannot create the TensorBoard folder (" + ec.message() + ")");
}

TensorboardLog::~TensorboardLog() = default;

void TensorboardLog::on_start(const TrainingStart& start) {
    log_every_ = start.config.log_every;
    batches_per_epoch_ = start.batches_per_epoch;
    // TensorBoard sorts the files of a folder by name: the time first, as it expects.
    const auto seconds = static_cast<long long>(wall_time());
    const std::string name = "events.out.tfevents." + std::to_string(seconds) + "." + host_name() + "." +
                             std::to_string(static_cast<long long>(getpid()));
    writer_ = std::make_unique<TfRecordWriter>((std::filesystem::path(dir_) / name).string());
    writer_->write(tensorboard::file_version_event(wall_time()));
    if (start.resumed)
        writer_->write(tensorboard::session_start_event(
            wall_time(), start.start_iteration, "resumed at iteration " + std::to_string(start.start_iteration)));
}

void TensorboardLog::on_iteration(const IterationMetrics& m) {
    last_iteration_ = m.iteration;
    if (!writer_) return;
    if (!is_logged(m, log_every_, batches_per_epoch_)) return;  // as metrics.jsonl
    write_scalars(*writer_, m.iteration, "train/",
                  {{"loss_d", m.loss_d}, {"loss_g", m.loss_g}, {"d_x", m.d_x}, {"d_g_z1", m.d_g_z1},
                   {"d_g_z2", m.d_g_z2}, {"accuracy_real", m.accuracy_real}, {"accuracy_fake", m.accuracy_fake},
                   {"images_per_second", m.images_per_second}, {"data_wait_seconds", m.data_wait_seconds},
                   {"lr_g", m.lr_g}, {"lr_d", m.lr_d},
                   {"instance_noise", m.instance_noise}, {"augment_p", m.augment_p}});
}

void TensorboardLog::on_epoch_end(const EpochSummary& s) {
    if (!writer_) return;
    // At the epoch's last iteration, so every chart shares one step axis.
    write_scalars(*writer_, last_iteration_, "epoch/",
                  {{"loss_d", s.loss_d}, {"loss_g", s.loss_g}, {"d_x", s.d_x}, {"d_g_z1", s.d_g_z1},
                   {"d_g_z2", s.d_g_z2}, {"accuracy_real", s.accuracy_real}, {"accuracy_fake", s.accuracy_fake},
                   {"images_per_second", s.images_per_second}, {"data_wait_share", s.data_wait_share}});
}

void TensorboardLog::on_samples(const SampleGrid& grid) {
    if (!writer_ || grid.live) return;  // live grids are for the window only, as in samples/
    writer_->write(tensorboard::image_event(wall_time(), grid.iteration, "samples", grid.grid.width, grid.grid.height,
                                            grid.grid.channels, encode_png(grid.grid)));
}

} // namespace latentlab
