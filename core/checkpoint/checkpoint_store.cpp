// SPDX-License-Identifier: GPL-3.0-or-later
#include "checkpoint/checkpoint_store.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <utility>

#include <fcntl.h>
#include <unistd.h>

#include "checkpoint/checkpoint_file.h"
#include "common/error.h"
#include "common/atomic_file.h"

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

// Reads the decimal number at `p` (digits only, no sign) and moves `p` past it.
std::optional<std::int64_t> read_number(const char*& p, const char* end) {
    if (p == end || *p < '0' || *p > '9') return std::nullopt;
    std::int64_t value = 0;
    const auto [next, ec] = std::from_chars(p, end, value);
    if (ec != std::errc()) return std::nullopt;  // too large
    p = next;
    return value;
}

// The (epoch, iteration) of a healthy checkpoint's file name
// "ckpt-e<epoch>-i<iteration>.llck"; nothing for any other name.
std::optional<std::pair<std::int64_t, std::int64_t>> healthy_position(const std::string& name) {
    const std::string head = std::string(kHealthyPrefix) + "e", tail = kCheckpointExtension;
    if (name.size() < head.size() + tail.size() || name.compare(0, head.size(), head) != 0 ||
        name.compare(name.size() - tail.size(), tail.size(), tail) != 0)
        return std::nullopt;
    const char* p = name.data() + head.size();
    const char* end = name.data() + name.size() - tail.size();
    const auto epoch = read_number(p, end);
    if (!epoch || end - p < 2 || p[0] != '-' || p[1] != 'i') return std::nullopt;
    p += 2;
    const auto iteration = read_number(p, end);
    if (!iteration || p != end) return std::nullopt;
    return std::make_pair(*epoch, *iteration);
}

// link() errors that mean the file system has no hard links (or no more for this file).
bool no_hard_links(int error) {
    return error == EPERM || error == EOPNOTSUPP || error == ENOTSUP || error == EMLINK || error == ENOSYS ||
           error == EXDEV;
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
    if (healthy) replace_latest(path.string(), bytes);
    // Both renames (the new file, then latest.llck) reach the disk with the folder.
    sync_folder(dir_, healthy ? latest_path() : path.string());
    if (healthy) prune();
    return path.string();
}

void CheckpointStore::replace_latest(const std::string& path, const std::string& bytes) const {
    // Link the new file under a temporary name, then rename that over latest.llck.
    const fs::path latest = fs::path(dir_) / kLatestName;
    const fs::path temp = fs::path(dir_) / (std::string(kLatestName) + ".partial");
    ::unlink(temp.c_str());
    if (::link(path.c_str(), temp.c_str()) != 0) {
        const int error = errno;
        if (!no_hard_links(error))
            throw Error(latest.string() + ": cannot link it to " + path + " (" + std::strerror(error) + ")");
        // File systems without hard links get a second copy instead.
        write_file_atomically(latest.string(), bytes);
        return;
    }
    if (::rename(temp.c_str(), latest.c_str()) != 0) {
        const std::string reason = std::strerror(errno);
        ::unlink(temp.c_str());
        throw Error(latest.string() + ": cannot update (" + reason + ")");
    }
}

std::string CheckpointStore::latest_path() const { return (fs::path(dir_) / kLatestName).string(); }

std::string CheckpointStore::latest_in(const std::string& run_dir) {
    return (fs::path(run_dir) / "checkpoints" / kLatestName).string();
}

bool CheckpointStore::has_latest() const { return fs::exists(latest_path()); }

std::vector<std::string> CheckpointStore::healthy_checkpoints() const {
    // By the numbers in the names, not as text: epoch 10000 comes after 9999.
    std::vector<std::pair<std::pair<std::int64_t, std::int64_t>, std::string>> found;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir_, ec))
        if (const auto position = healthy_position(entry.path().filename().string()))
            found.emplace_back(*position, entry.path().string());
    std::sort(found.begin(), found.end());
    std::vector<std::string> paths;
    for (auto& f : found) paths.push_back(std::move(f.second));
    return paths;
}

void CheckpointStore::prune() const {
    const auto found = healthy_checkpoints();
    // A file that cannot be removed costs disk space, not data: it is left for the next prune.
    std::error_code ec;
    for (std::size_t i = 0; i + static_cast<std::size_t>(keep_) < found.size(); ++i) fs::remove(found[i], ec);
}

} // namespace latentlab
