// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace latentlab {

// The checkpoints/ folder of a run.
//
// Healthy checkpoints are named ckpt-e0003-i000000123.llck (epoch and iteration
// done; more digits once the numbers outgrow the padding); the newest is also
// reachable as latest.llck, a hard link replaced atomically. Only the last
// `keep` healthy ones, by epoch then iteration, are kept besides latest; files
// whose names do not read as ckpt-eN-iM.llck are never removed.
// A checkpoint taken after a non-finite loss is written as
// unhealthy-e....-i....llck and never replaces latest nor pushes out a healthy
// one. Every file is written atomically (temporary file, fsync, rename, fsync
// of the folder), so an interrupted or failed write (a full disk included)
// leaves the previous checkpoints and latest.llck as they were.
class CheckpointStore {
public:
    CheckpointStore(std::string dir, int keep);

    // Writes `bytes` (a CheckpointWriter's output) and returns its path.
    // Throws latentlab::Error naming the file and the reason (e.g. "No space
    // left on device") when any step fails; latest.llck then is unchanged.
    std::string save(const std::string& bytes, std::int64_t epoch, std::int64_t iteration, bool healthy);

    std::string latest_path() const;     // checkpoints/latest.llck (may not exist)
    // The latest checkpoint of the run folder `run_dir` (may not exist).
    static std::string latest_in(const std::string& run_dir);
    bool has_latest() const;
    // The healthy checkpoints, oldest (by epoch, then iteration) first.
    std::vector<std::string> healthy_checkpoints() const;
    const std::string& dir() const { return dir_; }

private:
    void replace_latest(const std::string& path, const std::string& bytes) const;
    void prune() const;

    std::string dir_;
    int keep_;
};

} // namespace latentlab
