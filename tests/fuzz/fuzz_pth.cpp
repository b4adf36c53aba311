// SPDX-License-Identifier: GPL-3.0-or-later
// The PyTorch state_dict reader (zip + restricted unpickler) and the DCGAN
// import on hostile files.
#include <cstdint>

#include "checkpoint/pth_file.h"
#include "checkpoint/pth_import.h"
#include "common/error.h"
#include "fuzz_input_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace latentlab;
    const std::string& path = fuzz::write_input(data, size, ".pth");
    try {
        read_pth_state_dict(path);
    } catch (const Error&) {
    }
    try {
        import_pytorch_generator(path, c10::kCPU);
    } catch (const Error&) {
    }
    return 0;
}
