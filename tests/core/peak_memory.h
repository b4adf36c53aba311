// SPDX-License-Identifier: GPL-3.0-or-later
// How much a piece of code raised the process's peak resident memory, for
// tests that must prove a hostile file was refused without a big allocation.
#pragma once

#include <malloc.h>

#include <cstdint>
#include <fstream>
#include <string>

namespace latentlab::test {

// A "Vm...:" line of /proc/self/status in bytes; 0 when unknown.
inline std::uint64_t status_bytes(const std::string& field) {
    std::ifstream status("/proc/self/status");
    std::string key;
    while (status >> key) {
        if (key == field) {
            std::uint64_t kib = 0;
            status >> kib;
            return kib * 1024;
        }
        std::getline(status, key);
    }
    return 0;
}

// The peak (VmHWM) and the current (VmRSS) resident memory in bytes; 0 when unknown.
inline std::uint64_t peak_rss_bytes() { return status_bytes("VmHWM:"); }
inline std::uint64_t rss_bytes() { return status_bytes("VmRSS:"); }

// Resets the peak to the current resident size (Linux: "5" > clear_refs).
// Returns false when the kernel does not allow it.
inline bool reset_peak_rss() {
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5";
    clear.close();
    return static_cast<bool>(clear);
}

// Bytes by which fn() raised the peak resident memory above what the process
// held when it started. With no reset, the growth over the previous peak (a
// lower bound).
// Freed memory is handed back first, so that what fn() allocates shows.
template <class Fn>
std::uint64_t peak_rss_growth(Fn fn) {
    malloc_trim(0);
    reset_peak_rss();
    const std::uint64_t before = peak_rss_bytes();
    fn();
    const std::uint64_t after = peak_rss_bytes();
    return after > before ? after - before : 0;
}

} // namespace latentlab::test
