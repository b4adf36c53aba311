// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/run_history.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "checkpoint/checkpoint_file.h"
#include "checkpoint/checkpoint_store.h"
#include "common/error.h"

namespace latentlab {
namespace fs = std::filesystem;
namespace {

IterationMetrics metrics_from_json(const nlohmann::json& j) {
    IterationMetrics m;
    m.epoch = j.value("epoch", std::int64_t{1}) - 1;
    m.batch = j.value("batch", std::int64_t{0});
    m.iteration = j.value("iteration", std::int64_t{0});
    m.loss_d = j.value("loss_d", 0.0);
    m.loss_g = j.value("loss_g", 0.0);
    m.d_x = j.value("d_x", 0.0);
    m.d_g_z1 = j.value("d_g_z1", 0.0);
    m.d_g_z2 = j.value("d_g_z2", 0.0);
    m.accuracy_real = j.value("accuracy_real", 0.0);
    m.accuracy_fake = j.value("accuracy_fake", 0.0);
    m.images_per_second = j.value("images_per_second", 0.0);
    m.data_wait_seconds = j.value("data_wait_seconds", 0.0);
    m.seconds = j.value("seconds", 0.0);
    m.finite = j.value("finite", true);
    return m;
}

std::vector<std::string> files_in(const fs::path& dir, const std::string& prefix, const std::string& extension) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        if (name.rfind(prefix, 0) == 0 && e.path().extension() == extension) out.push_back(e.path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

RunHistory read_run_history(const std::string& dir) {
    RunHistory h;
    h.dir = dir;
    const fs::path root(dir);
    std::ifstream config(root / "config.json");
    if (!config) throw Error(dir + ": not a LatentLab run folder (no config.json)");
    try {
        config >> h.config;
    } catch (const nlohmann::json::exception& e) {
        throw Error((root / "config.json").string() + ": unreadable (" + e.what() + ")");
    }
    std::ifstream metrics(root / "metrics.jsonl");
    std::string line;
    while (std::getline(metrics, line)) {
        const auto j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_object()) h.metrics.push_back(metrics_from_json(j));
    }
    std::ifstream cross_validations(root / "crossval.jsonl");
    while (std::getline(cross_validations, line)) {
        const auto j = nlohmann::json::parse(line, nullptr, false);
        if (auto cv = cross_validation_from_json(j)) h.cross_validations.push_back(*cv);
    }
    h.epoch_samples = files_in(root / "samples", "epoch_", ".png");
    h.checkpoints = files_in(root / "checkpoints", "ckpt-", kCheckpointExtension);
    const std::string latest = CheckpointStore::latest_in(dir);
    if (fs::exists(latest)) h.latest_checkpoint = latest;
    return h;
}

} // namespace latentlab
