// SPDX-License-Identifier: GPL-3.0-or-later
// The decoded-image cache reader on hostile files: it must answer "no usable
// cache" for anything it did not write, never throw, never over-allocate.
#include <cstdint>

#include "data/decoded_cache.h"
#include "fuzz_input_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace latentlab;
    // The seed corpus was written with this key (tests/fuzz/make_corpus).
    load_decoded_cache(fuzz::write_input(data, size, ".cache"), "fuzz");
    return 0;
}
