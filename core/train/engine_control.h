// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>

namespace latentlab {

// Commands another thread gives a running engine. The engine checks them
// between iterations; no command ever interrupts an iteration half-way.
class EngineControl {
public:
    void pause();
    void resume();
    // Runs exactly `count` more iterations, then pauses again.
    void step(std::int64_t count = 1);
    void stop();
    void set_learning_rate(double lr);
    void set_beta1(double beta1);
    // Cross-validates the pairs between the next two iterations (see Engine).
    void request_cross_validation();

    bool paused() const;
    // True while the engine is blocked in wait_for_turn(): paused between two
    // iterations, with no step pending. Tests wait for it instead of sleeping.
    bool waiting() const;
    bool stop_requested() const;

    // Engine side. Blocks while paused with no step pending; returns false
    // when the engine should stop. Consumes one step when paused.
    bool wait_for_turn();
    // Hyperparameter changes asked for since the last call.
    struct Changes {
        std::optional<double> lr, beta1;
        bool cross_validation = false;
    };
    Changes take_changes();

private:
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    bool paused_ = false, stop_ = false, waiting_ = false;
    std::int64_t steps_ = 0;
    Changes changes_;
};

} // namespace latentlab
