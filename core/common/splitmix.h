// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>

namespace latentlab {

// SplitMix64's finaliser: spreads a 64-bit key (a seed, a seed mixed with an
// index) evenly over 64 bits. Used to derive independent, reproducible random
// streams from (seed, epoch, image) or (seed, row).
inline std::uint64_t splitmix64(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

} // namespace latentlab
