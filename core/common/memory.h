// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>

namespace latentlab {

// The machine's physical memory in bytes (sysconf pages x page size); 0 when
// the system does not say.
std::uint64_t physical_memory_bytes();

// "512 B", "3.4 MiB", "15.6 GiB": a byte count for messages.
std::string format_bytes(std::uint64_t bytes);

// Throws latentlab::Error "<what> needs <need> of memory, but this machine has
// <physical>" when `need` exceeds physical_memory_bytes() (never when the
// machine's memory is unknown).
void require_memory(std::uint64_t need, const std::string& what);

// a * b, or false when the product does not fit in 64 bits.
inline bool multiply_fits(std::uint64_t a, std::uint64_t b, std::uint64_t& product) {
    return !__builtin_mul_overflow(a, b, &product);
}

} // namespace latentlab
