// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/run_lock.h"

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <utility>

#include <fcntl.h>
#include <unistd.h>

#include "common/error.h"
#include "common/file_lock.h"

namespace latentlab {
namespace fs = std::filesystem;
namespace {

constexpr const char* kLockName = ".lock";
constexpr std::size_t kPidTextSize = 32;  // room for any pid and a newline

// The pid the holder wrote into the lock file, or 0 when there is none (yet).
long holder_pid(const std::string& path) {
    char text[kPidTextSize] = {};
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    const ssize_t n = ::pread(fd, text, sizeof text - 1, 0);
    ::close(fd);
    if (n <= 0) return 0;
    char* end = nullptr;
    const long pid = std::strtol(text, &end, 10);
    return end != text && pid > 0 ? pid : 0;
}

} // namespace

RunLock::RunLock(const std::string& run_dir) : dir_(run_dir) {
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec) throw Error(dir_ + ": cannot create the run folder (" + ec.message() + ")");
    const std::string path = lock_path(dir_);
    std::optional<FileLock> lock = FileLock::try_lock(path);
    if (!lock) {
        const long pid = holder_pid(path);
        throw Error(dir_ + ": another LatentLab process is training in this folder" +
                    (pid > 0 ? " (pid " + std::to_string(pid) + ")" : std::string()));
    }
    lock_ = std::move(*lock);
    // The pid only serves the message above: the lock holds without it, so a
    // full disk here is left for the run's own writes to report.
    const std::string text = std::to_string(static_cast<long>(::getpid())) + "\n";
    if (::ftruncate(lock_.fd(), 0) == 0) {
        const ssize_t written = ::pwrite(lock_.fd(), text.data(), text.size(), 0);
        (void)written;
    }
}

RunLock::~RunLock() { release(); }

RunLock::RunLock(RunLock&& other) noexcept : dir_(std::exchange(other.dir_, {})), lock_(std::move(other.lock_)) {}

RunLock& RunLock::operator=(RunLock&& other) noexcept {
    if (this != &other) {
        release();
        dir_ = std::exchange(other.dir_, {});
        lock_ = std::move(other.lock_);
    }
    return *this;
}

void RunLock::release() {
    lock_.release();
    dir_.clear();
}

std::string RunLock::lock_path(const std::string& run_dir) { return (fs::path(run_dir) / kLockName).string(); }

} // namespace latentlab
