// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/run_folder.h"

#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "imaging/png_file.h"
#include "common/atomic_file.h"

namespace latentlab {
namespace fs = std::filesystem;
namespace {

constexpr const char* kCsvHeader =
    "iteration,epoch,batch,loss_d,loss_g,d_x,d_g_z1,d_g_z2,accuracy_real,accuracy_fake,images_per_second,data_wait_seconds";

std::string csv_line(const IterationMetrics& m) {
    char line[512];
    std::snprintf(line, sizeof line, "%lld,%lld,%lld,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g",
                  static_cast<long long>(m.iteration), static_cast<long long>(m.epoch + 1),
                  static_cast<long long>(m.batch), m.loss_d, m.loss_g, m.d_x, m.d_g_z1, m.d_g_z2, m.accuracy_real,
                  m.accuracy_fake, m.images_per_second, m.data_wait_seconds);
    return line;
}

// Keeps the lines whose iteration is at most `last`; `iteration_of` reads it.
template <typename F>
void truncate_log(const fs::path& path, std::int64_t last, F iteration_of) {
    std::ifstream in(path);
    if (!in) return;
    std::string kept, line;
    while (std::getline(in, line)) {
        const std::int64_t it = iteration_of(line);
        if (it < 0 || it <= last) kept += line + "\n";
    }
    in.close();
    write_file_atomically(path.string(), kept);
}

} // namespace

RunFolder::RunFolder(std::string dir) : dir_(std::move(dir)) {
    std::error_code ec;
    fs::create_directories(fs::path(dir_) / "samples", ec);
    if (ec) throw Error(dir_ + ": cannot create the run folder (" + ec.message() + ")");
}

void RunFolder::write_skipped(const std::vector<SkippedFile>& skipped) const {
    std::string text;
    for (const auto& s : skipped) text += s.path + "\t" + s.reason + "\n";
    write_file_atomically((fs::path(dir_) / "skipped_files.txt").string(), text);
}

void RunFolder::open_logs(bool resumed, std::int64_t start_iteration) {
    const fs::path jsonl = fs::path(dir_) / "metrics.jsonl", csv = fs::path(dir_) / "metrics.csv";
    const fs::path epochs = fs::path(dir_) / "epochs.jsonl", crossval = fs::path(dir_) / "crossval.jsonl";
    if (resumed) {
        const auto from_json = [](const std::string& line) -> std::int64_t {
            const auto j = nlohmann::json::parse(line, nullptr, false);
            return j.is_object() ? j.value("iteration", std::int64_t{-1}) : -1;
        };
        truncate_log(jsonl, start_iteration, from_json);
        truncate_log(crossval, start_iteration, from_json);
        truncate_log(csv, start_iteration, [](const std::string& line) -> std::int64_t {
            return line.empty() || line[0] < '0' || line[0] > '9' ? -1 : std::stoll(line);
        });
    }
    const auto mode = resumed ? std::ios::app : std::ios::trunc;
    jsonl_.open(jsonl, std::ios::out | mode);
    const bool csv_exists = resumed && fs::exists(csv) && fs::file_size(csv) > 0;
    csv_.open(csv, std::ios::out | mode);
    epochs_.open(epochs, std::ios::out | mode);
    crossval_.open(crossval, std::ios::out | mode);
    if (!jsonl_ || !csv_ || !epochs_ || !crossval_) throw Error(dir_ + ": cannot open the metrics files for writing");
    if (!csv_exists) csv_ << kCsvHeader << "\n";
}

void RunFolder::on_start(const TrainingStart& start) {
    log_every_ = start.config.log_every;
    batches_per_epoch_ = start.batches_per_epoch;
    nlohmann::json config = to_json(start.config);
    config["device"] = start.device;
    config["images"] = start.images;
    write_file_atomically((fs::path(dir_) / "config.json").string(), config.dump(2) + "\n");
    open_logs(start.resumed, start.start_iteration);
}

void RunFolder::on_iteration(const IterationMetrics& m) {
    if (!is_logged(m, log_every_, batches_per_epoch_)) return;
    jsonl_ << to_json(m).dump() << "\n";
    csv_ << csv_line(m) << "\n";
    jsonl_.flush();
    csv_.flush();
}

std::string RunFolder::sample_name(const SampleGrid& grid) {
    char name[64];
    if (grid.epoch_end) std::snprintf(name, sizeof name, "epoch_%03lld.png", static_cast<long long>(grid.epoch + 1));
    else std::snprintf(name, sizeof name, "iter_%06lld.png", static_cast<long long>(grid.iteration));
    return name;
}

void RunFolder::on_samples(const SampleGrid& grid) {
    if (grid.live) return;
    write_png((fs::path(dir_) / "samples" / sample_name(grid)).string(), grid.grid);
}

void RunFolder::on_cross_validation(const CrossValidation& cv) {
    crossval_ << to_json(cv).dump() << "\n";
    crossval_.flush();
}

void RunFolder::on_epoch_end(const EpochSummary& summary) {
    epochs_ << to_json(summary).dump() << "\n";
    epochs_.flush();
}

} // namespace latentlab
