// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace latentlab {

// The checkpoints/ folder of a run.
//
// Healthy checkpoints are named ckpt-e0003-i000123.llck (epoch and iteration
// done); the newest is also reachable as latest.llck, a hard link replaced
// atomically. Only the last `keep` healthy ones are kept besides latest.
// A checkpoint taken after a non-finite loss is written as
// unhealthy-e....-i....llck and never replaces latest nor pushes out a healthy
// one. Every file is written atomically (temporary file, fsync, rename), so an
// interrupted write leaves the previous checkpoints as they were.
class CheckpointStore {
public:
    CheckpointStore(std::string dir, int keep);

    // Writes `bytes` (a CheckpointWriter's output) and returns its path.
    std::string save(const std::string& bytes, std::int64_t epoch, std::int64_t iteration, bool healthy);

    std::string latest_path() const;     // checkpoints/latest.llck (may not exist)
    // The latest checkpoint of the run folder `run_dir` (may not exist).
    static std::string latest_in(const std::string& run_dir);
    bool has_latest() const;
    std::vector<std::string> healthy_checkpoints() const;  // oldest first
    const std::string& dir() const { return dir_; }

private:
    void prune() const;

    std::string dir_;
    int keep_;
};

} // namespace latentlab
