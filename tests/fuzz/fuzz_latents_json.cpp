// SPDX-License-Identifier: GPL-3.0-or-later
// The latents file reader (the explorer's saved groups, project's output) on
// hostile JSON, with and without an expected latent length.
#include <cstdint>

#include "common/error.h"
#include "fuzz_input_file.h"
#include "latent/latent_set_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace latentlab;
    const std::string& path = fuzz::write_input(data, size, ".json");
    for (const std::int64_t nz : {std::int64_t{0}, std::int64_t{4}}) {
        try {
            load_latent_set(path, nz);
        } catch (const Error&) {
        }
    }
    return 0;
}
