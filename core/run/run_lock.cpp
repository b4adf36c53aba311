// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/run_lock.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <utility>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "common/error.h"

namespace latentlab {
namespace fs = std::filesystem;
namespace {

constexpr const char* kLockName = ".lock";
constexpr std::size_t kPidTextSize = 32;  // room for any pid and a newline

// The pid the holder wrote into the lock file, or 0 when there is none (yet).
long holder_pid(int fd) {
    char text[kPidTextSize] = {};
    const ssize_t n = ::pread(fd, text, sizeof text - 1, 0);
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
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw Error(path + ": cannot open the lock file (" + std::strerror(errno) + ")");
    int rc;
    do rc = ::flock(fd_, LOCK_EX | LOCK_NB);
    while (rc != 0 && errno == EINTR);
    if (rc != 0) {
        const int error = errno;
        const long pid = error == EWOULDBLOCK ? holder_pid(fd_) : 0;
        ::close(fd_);
        fd_ = -1;
        if (error != EWOULDBLOCK) throw Error(path + ": cannot lock the run folder (" + std::strerror(error) + ")");
        throw Error(dir_ + ": another LatentLab process is training in this folder" +
                    (pid > 0 ? " (pid " + std::to_string(pid) + ")" : std::string()));
    }
    // The pid only serves the message above: the lock holds without it, so a
    // full disk here is left for the run's own writes to report.
    const std::string text = std::to_string(static_cast<long>(::getpid())) + "\n";
    if (::ftruncate(fd_, 0) == 0) {
        const ssize_t written = ::pwrite(fd_, text.data(), text.size(), 0);
        (void)written;
    }
}

RunLock::~RunLock() { release(); }

RunLock::RunLock(RunLock&& other) noexcept
    : dir_(std::exchange(other.dir_, {})), fd_(std::exchange(other.fd_, -1)) {}

RunLock& RunLock::operator=(RunLock&& other) noexcept {
    if (this != &other) {
        release();
        dir_ = std::exchange(other.dir_, {});
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

void RunLock::release() {
    if (fd_ < 0) return;
    // Closing the only descriptor of the open file description drops the lock.
    // A failed close still releases the descriptor on Linux; nothing was written
    // that could be lost.
    ::close(fd_);
    fd_ = -1;
    dir_.clear();
}

std::string RunLock::lock_path(const std::string& run_dir) { return (fs::path(run_dir) / kLockName).string(); }

} // namespace latentlab
