// SPDX-License-Identifier: GPL-3.0-or-later
// The checkpoint reader on hostile files: every path a checkpoint takes when
// the explorer opens it (load_generator, load_discriminator) and when a run
// resumes (modules, Adam state, loose tensors). Half the inputs get a valid
// LatentLab header and checksum around them, so the fuzzer reaches the
// safetensors table and the metadata instead of stopping at the checksum.
#include <cstdint>
#include <string>

#include <torch/nn/module.h>
#include <torch/optim/adam.h>

#include "checkpoint/checkpoint_file.h"
#include "checkpoint/generator_snapshot.h"
#include "common/binary_io.h"
#include "common/error.h"
#include "fuzz_input_file.h"
#include "models/generator.h"

using namespace latentlab;

namespace {

// The model of the seed corpus (tests/fuzz/corpus/checkpoint): 32 px, nz 2, ngf = ndf = 1.
ModelConfig seed_model() {
    ModelConfig c;
    c.image_size = 32;
    c.channels = 3;
    c.nz = 2;
    c.ngf = 1;
    c.ndf = 1;
    return c;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string bytes(reinterpret_cast<const char*>(data), size);
    if (!bytes.empty() && (static_cast<unsigned char>(bytes[0]) & 1)) {
        // The rest is the payload; give it a header the reader accepts.
        const std::string payload = bytes.substr(1);
        bytes.assign(kCheckpointMagic, sizeof kCheckpointMagic);
        put_le<std::uint32_t>(bytes, kCheckpointFormat);
        put_le<std::uint64_t>(bytes, payload.size());
        put_le<std::uint32_t>(bytes, crc32_of(payload.data(), payload.size()));
        bytes += payload;
    }
    const std::string& path = fuzz::write_input(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), ".llck");
    try {
        load_generator(path, c10::kCPU);
    } catch (const Error&) {
    }
    try {
        load_discriminator(path, c10::kCPU);
    } catch (const Error&) {
    }
    try {
        const CheckpointReader reader(path);
        Generator g(seed_model());
        reader.load_module("generator", *g);
        torch::optim::Adam adam(g->parameters());
        reader.load_optimizer("optimizer_g", adam);
        reader.tensor("fixed_noise", at::kFloat);
        reader.tensor("rng/noise", at::kByte);
    } catch (const Error&) {
    }
    return 0;
}
