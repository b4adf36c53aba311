// SPDX-License-Identifier: GPL-3.0-or-later
// CelebA's attribute list reader on hostile files.
#include <cstdint>

#include "common/error.h"
#include "data/celeba_attributes.h"
#include "fuzz_input_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace latentlab;
    try {
        read_celeba_attributes(fuzz::write_input(data, size, ".txt"));
    } catch (const Error&) {
    }
    return 0;
}
