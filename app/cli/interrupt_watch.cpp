// SPDX-License-Identifier: GPL-3.0-or-later
#include "interrupt_watch.h"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <unistd.h>

namespace latentlab::cli {
namespace {

volatile std::sig_atomic_t interrupts = 0;

void on_signal(int) {
    if (++interrupts > 1) std::_Exit(130);
    constexpr char kMessage[] = "\nstopping after this iteration (Ctrl-C again to quit at once)\n";
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
}

} // namespace

InterruptWatch::InterruptWatch(EngineControl& control) {
    interrupts = 0;
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    watcher_ = std::thread([this, &control] {
        constexpr auto kPoll = std::chrono::milliseconds(50);
        while (!done_) {
            if (interrupts > 0) {
                control.stop();
                return;
            }
            std::this_thread::sleep_for(kPoll);
        }
    });
}

InterruptWatch::~InterruptWatch() {
    done_ = true;
    watcher_.join();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
}

} // namespace latentlab::cli
