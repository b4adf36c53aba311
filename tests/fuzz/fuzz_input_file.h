// SPDX-License-Identifier: GPL-3.0-or-later
// The fuzzed bytes as a file, for readers that take a path. One file per
// process, rewritten for every input, on a RAM-backed folder when there is one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <unistd.h>

namespace latentlab::fuzz {

inline const std::string& input_path(const char* extension) {
    static const std::string path = [extension] {
        const char* dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : (std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp");
        return std::string(dir) + "/latentlab-fuzz-" + std::to_string(getpid()) + extension;
    }();
    return path;
}

// Writes the input to input_path(extension) and returns that path.
inline const std::string& write_input(const std::uint8_t* data, std::size_t size, const char* extension) {
    const std::string& path = input_path(extension);
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) std::abort();
    if (size > 0 && std::fwrite(data, 1, size, f) != size) std::abort();
    std::fclose(f);
    return path;
}

} // namespace latentlab::fuzz
