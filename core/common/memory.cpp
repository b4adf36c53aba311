// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/memory.h"

#include <unistd.h>

#include <cstdio>

#include "common/error.h"

namespace latentlab {

std::uint64_t physical_memory_bytes() {
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long page_size = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || page_size <= 0) return 0;
    std::uint64_t bytes = 0;
    if (!multiply_fits(static_cast<std::uint64_t>(pages), static_cast<std::uint64_t>(page_size), bytes)) return UINT64_MAX;
    return bytes;
}

std::string format_bytes(std::uint64_t bytes) {
    static const char* const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    if (bytes < 1024) return std::to_string(bytes) + " B";
    double value = static_cast<double>(bytes) / 1024.0;
    int unit = 0;
    while (value >= 1024.0 && unit < 5) {
        value /= 1024.0;
        ++unit;
    }
    char text[32];
    std::snprintf(text, sizeof text, "%.1f %s", value, units[unit]);
    return text;
}

void require_memory(std::uint64_t need, const std::string& what) {
    const std::uint64_t have = physical_memory_bytes();
    if (have > 0 && need > have)
        throw Error(what + " needs " + format_bytes(need) + " of memory, but this machine has " + format_bytes(have));
}

} // namespace latentlab
