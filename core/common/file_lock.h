// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>
#include <string>
#include <utility>

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

    // What release() does with the lock file: leave it (a run folder's, which
    // carries the holder's pid) or remove it while still holding the lock, so
    // no lock files pile up (whoever waits on the removed file opens a new one).
    enum class OnRelease { Keep, Remove };

    // The lock on `path` (created when missing), or nothing when another holder
    // has it. Throws latentlab::Error naming `path` and the reason when the
    // file cannot be opened or locked.
    static std::optional<FileLock> try_lock(const std::string& path, OnRelease on_release = OnRelease::Keep);

    bool held() const { return fd_ >= 0; }
    int fd() const { return fd_; }  // the lock file, open read-write (-1 when nothing is held)
    // Lets go of the lock now; does nothing when none is held.
    void release();

private:
    FileLock(int fd, std::string remove_path) : fd_(fd), remove_path_(std::move(remove_path)) {}
    int fd_ = -1;
    std::string remove_path_;  // removed on release when not empty
};

} // namespace latentlab
