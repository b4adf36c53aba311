// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/file_lock.h"

#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/error.h"

namespace latentlab {

FileLock::~FileLock() { release(); }

FileLock::FileLock(FileLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), remove_path_(std::exchange(other.remove_path_, {})) {}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
    if (this != &other) {
        release();
        fd_ = std::exchange(other.fd_, -1);
        remove_path_ = std::exchange(other.remove_path_, {});
    }
    return *this;
}

void FileLock::release() {
    if (fd_ < 0) return;
    if (!remove_path_.empty()) ::unlink(remove_path_.c_str());  // still held: nobody else holds this file
    // Closing the only descriptor of the open file description drops the lock.
    ::close(fd_);
    fd_ = -1;
    remove_path_.clear();
}

std::optional<FileLock> FileLock::try_lock(const std::string& path, OnRelease on_release) {
    for (;;) {
        const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) throw Error(path + ": cannot open the lock file (" + std::strerror(errno) + ")");
        int rc;
        do rc = ::flock(fd, LOCK_EX | LOCK_NB);
        while (rc != 0 && errno == EINTR);
        if (rc != 0) {
            const int error = errno;
            ::close(fd);
            if (error == EWOULDBLOCK) return std::nullopt;
            throw Error(path + ": cannot lock the file (" + std::strerror(error) + ")");
        }
        // Still the file the path names? If it was removed (and perhaps made
        // again) between open() and flock(), this lock guards nothing: retry.
        struct stat held{}, named{};
        if (::fstat(fd, &held) == 0 && ::stat(path.c_str(), &named) == 0 && held.st_dev == named.st_dev &&
            held.st_ino == named.st_ino)
            return FileLock(fd, on_release == OnRelease::Remove ? path : std::string());
        ::close(fd);
    }
}

} // namespace latentlab
