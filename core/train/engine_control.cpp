// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/engine_control.h"

namespace latentlab {

void EngineControl::pause() {
    std::lock_guard<std::mutex> lock(mutex_);
    paused_ = true;
    steps_ = 0;
}

void EngineControl::resume() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        paused_ = false;
        steps_ = 0;
    }
    changed_.notify_all();
}

void EngineControl::step(std::int64_t count) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        paused_ = true;
        steps_ += count;
    }
    changed_.notify_all();
}

void EngineControl::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
    }
    changed_.notify_all();
}

void EngineControl::set_learning_rate(double lr) {
    std::lock_guard<std::mutex> lock(mutex_);
    changes_.lr = lr;
}

void EngineControl::set_beta1(double beta1) {
    std::lock_guard<std::mutex> lock(mutex_);
    changes_.beta1 = beta1;
}

bool EngineControl::paused() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return paused_ && steps_ == 0;
}

bool EngineControl::stop_requested() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return stop_;
}

bool EngineControl::waiting() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return waiting_;
}

bool EngineControl::wait_for_turn() {
    std::unique_lock<std::mutex> lock(mutex_);
    waiting_ = true;
    changed_.wait(lock, [&] { return stop_ || !paused_ || steps_ > 0; });
    waiting_ = false;
    if (stop_) return false;
    if (paused_) --steps_;
    return true;
}

void EngineControl::request_cross_validation() {
    std::lock_guard<std::mutex> lock(mutex_);
    changes_.cross_validation = true;
}

EngineControl::Changes EngineControl::take_changes() {
    std::lock_guard<std::mutex> lock(mutex_);
    Changes c = changes_;
    changes_ = Changes{};
    return c;
}

} // namespace latentlab
