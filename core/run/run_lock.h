// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

#include "common/file_lock.h"

namespace latentlab {

// Keeps a run folder to one trainer at a time.
//
// Holds a FileLock on RUN/.lock from construction until destruction (or until
// the process ends, however it ends, so a crash never leaves a stale lock
// behind). The file records the holder's pid for the message the next one
// gets. A second RunLock on the same folder conflicts even inside one process.
//
// The file itself is left in place on release (it carries the last holder's
// pid).
class RunLock {
public:
    RunLock() = default;  // holds nothing
    // Creates the folder when it does not exist, then takes the lock. Throws
    // latentlab::Error "RUN: another LatentLab process is training in this
    // folder (pid N)" when someone holds it, or naming the lock file and the
    // reason when it cannot be opened or locked.
    explicit RunLock(const std::string& run_dir);
    ~RunLock();
    RunLock(RunLock&& other) noexcept;
    RunLock& operator=(RunLock&& other) noexcept;
    RunLock(const RunLock&) = delete;
    RunLock& operator=(const RunLock&) = delete;

    bool held() const { return lock_.held(); }
    // The folder as given to the constructor (empty when nothing is held).
    const std::string& dir() const { return dir_; }
    // Lets go of the lock now; does nothing when none is held.
    void release();

    static std::string lock_path(const std::string& run_dir);  // RUN/.lock

private:
    std::string dir_;
    FileLock lock_;
};

} // namespace latentlab
