// SPDX-License-Identifier: GPL-3.0-or-later
#include "checkpoint/checkpoint_store.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <unistd.h>

#include "checkpoint/checkpoint_file.h"
#include "common/error.h"
#include "imaging/png_file.h"

namespace latentlab {
namespace fs = std::filesystem;
namespace {

constexpr const char* kHealthyPrefix = "ckpt-";
constexpr const char* kUnhealthyPrefix = "unhealthy-";
constexpr const char* kLatestName = "latest.llck";

std::string checkpoint_name(const char* prefix, std::int64_t epoch, std::int64_t iteration) {
    char name[96];
    std::snprintf(name, sizeof name, "%se%04lld-i%09lld%s", prefix, static_cast<long long>(epoch),
                  static_cast<long long>(iteration), kCheckpointExtension);
    return name;
}

} // namespace

CheckpointStore::CheckpointStore(std::string dir, int keep) : dir_(std::move(dir)), keep_(std::max(keep, 1)) {
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec) throw Error(dir_ + ": cannot create the checkpoint folder (" + ec.message() + ")");
    // Temporary files left by a write that was interrupted are of no use.
    for (const auto& entry : fs::directory_iterator(dir_, ec))
        if (entry.path().extension() == ".partial") fs::remove(entry.path(), ec);
}

std::string CheckpointStore::save(const std::string& bytes, std::int64_t epoch, std::int64_t iteration, bool healthy) {
    const fs::path path = fs::path(dir_) / checkpoint_name(healthy ? kHealthyPrefix : kUnhealthyPrefix, epoch, iteration);
    write_file_atomically(path.string(), bytes);
    if (!healthy) return path.string();

    // latest.llck: link the new file under a temporary name, then rename over.
    const fs::path latest = fs::path(dir_) / kLatestName;
    const fs::path temp = fs::path(dir_) / (std::string(kLatestName) + ".partial");
    ::unlink(temp.c_str());
    if (::link(path.c_str(), temp.c_str()) != 0) {
        // File systems without hard links get a second copy instead.
        write_file_atomically(latest.string(), bytes);
    } else if (::rename(temp.c_str(), latest.c_str()) != 0) {
        const std::string reason = std::strerror(errno);
        ::unlink(temp.c_str());
        throw Error(latest.string() + ": cannot update (" + reason + ")");
    }
    prune();
    return path.string();
}

std::string CheckpointStore::latest_path() const { return (fs::path(dir_) / kLatestName).string(); }

std::string CheckpointStore::latest_in(const std::string& run_dir) {
    return (fs::path(run_dir) / "checkpoints" / kLatestName).string();
}

bool CheckpointStore::has_latest() const { return fs::exists(latest_path()); }

std::vector<std::string> CheckpointStore::healthy_checkpoints() const {
    std::vector<std::string> found;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir_, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(kHealthyPrefix, 0) == 0 && entry.path().extension() == kCheckpointExtension)
            found.push_back(entry.path().string());
    }
    std::sort(found.begin(), found.end());  // zero-padded names sort by epoch, then iteration
    return found;
}

void CheckpointStore::prune() const {
    auto found = healthy_checkpoints();
    std::error_code ec;
    for (std::size_t i = 0; i + static_cast<std::size_t>(keep_) < found.size(); ++i) fs::remove(found[i], ec);
}

} // namespace latentlab
