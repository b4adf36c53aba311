// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>
#include <string>

namespace latentlab {

// An exclusive flock() on a lock file, held until destruction or release().
//
// The kernel drops the lock with the file descriptor, so a crash never leaves
// a stale lock. flock() locks belong to an open file description: two
// FileLocks on one path conflict inside one process as across processes. A
// lock is only taken on the file the path names at that moment (a lock file
// removed and created again by someone else is opened afresh), so two holders
// never each hold a different file of the same name.
class FileLock {
public:
    FileLock() = default;  // holds nothing
    ~FileLock();
    FileLock(FileLock&& other) noexcept;
    FileLock& operator=(FileLock&& other) noexcept;
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

    // The lock on `path` (created when missing), or nothing when another holder
    // has it. Throws latentlab::Error naming `path` and the reason when the
    // file cannot be opened or locked.
    static std::optional<FileLock> try_lock(const std::string& path);

    bool held() const { return fd_ >= 0; }
    int fd() const { return fd_; }  // the lock file, open read-write (-1 when nothing is held)
    // Lets go of the lock now; does nothing when none is held.
    void release();

private:
    explicit FileLock(int fd) : fd_(fd) {}
    int fd_ = -1;
};

} // namespace latentlab
