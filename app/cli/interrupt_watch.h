// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <thread>

#include "train/engine_control.h"

namespace latentlab::cli {

// While alive, Ctrl-C (SIGINT) or SIGTERM asks the engine to stop between
// iterations; it then writes a checkpoint that --resume continues from.
// A second Ctrl-C ends the process at once.
class InterruptWatch {
public:
    explicit InterruptWatch(EngineControl& control);
    ~InterruptWatch();
    InterruptWatch(const InterruptWatch&) = delete;
    InterruptWatch& operator=(const InterruptWatch&) = delete;

private:
    std::atomic<bool> done_{false};
    std::thread watcher_;
};

} // namespace latentlab::cli
