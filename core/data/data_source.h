// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "data/decoded_images.h"

namespace latentlab {

// A parsed data SPEC as the command line and the GUI take it:
//   synthetic[:COUNT]   the built-in synthetic faces
//   random[:COUNT]      random pixels (benchmarks)
//   PATH                a folder of images (CelebA's layout detected), or an IDX file
struct DataSpec {
    enum class Kind { Synthetic, Random, Folder, Celeba, Idx };
    Kind kind = Kind::Synthetic;
    std::size_t count = 0;  // synthetic and random
    std::string path;       // folder, CelebA and IDX
    std::string describe() const;
    // Drawn by LatentLab (synthetic, random), not read from files.
    bool generated() const { return kind == Kind::Synthetic || kind == Kind::Random; }
};

constexpr std::size_t kDefaultSyntheticCount = 4096;

// Throws latentlab::Error naming the SPEC and the reason (bad count, missing path).
DataSpec parse_data_spec(const std::string& spec);
// The SPEC when it names generated data (synthetic, random), without looking
// at the file system; nothing for a path. Throws for a bad count.
std::optional<DataSpec> parse_generated_data_spec(const std::string& spec);

// Bytes of the uint8 images a synthetic or random SPEC generates at `size` px
// and `channels` (0: their natural 3); 0 for file sources, whose count is
// known only once they are read. Saturates instead of overflowing.
std::uint64_t generated_data_bytes(const DataSpec& spec, int size, int channels);

// Decodes the whole source once. `seed` feeds the synthetic and random kinds.
// Throws latentlab::Error when the source holds no usable image, or when the
// decoded images would need more than the machine's physical memory ("data
// 'random pixels (N)' at 64 px needs 115.2 GiB of memory, but this machine
// has 15.6 GiB"), checked before anything is allocated.
DecodedImages load_data(const DataSpec& spec, const DecodeOptions& options, std::uint64_t seed);

// A short hex digest of the decoded pixels and their shape, stored in
// checkpoints so that a resume on different data can be noticed.
std::string data_fingerprint(const DecodedImages& images);

} // namespace latentlab
