// SPDX-License-Identifier: GPL-3.0-or-later
// The IDX reader (MNIST-style files, raw or gzipped) on hostile files.
#include <cstdint>

#include "common/error.h"
#include "data/idx_file.h"
#include "fuzz_input_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace latentlab;
    const std::string& path = fuzz::write_input(data, size, ".idx");
    DecodeOptions options;
    options.size = 16;
    try {
        decode_idx_images(path, options);
    } catch (const Error&) {
    }
    try {
        read_idx_labels(path);
    } catch (const Error&) {
    }
    return 0;
}
