// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "data/data_source.h"
#include "data/decoded_images.h"

namespace latentlab {

// The pre-decoded cache saved for reuse, so that a second run on the same
// data decodes nothing. One file holds the pixels, names, skipped files and
// attributes, behind a header with a key and a CRC-32 of the contents:
//   "LLCACHE1", u64 header length, header JSON, pixels, u32 CRC-32 (little endian)

// What the cache depends on: the SPEC, the decode size and channels, the seed
// (synthetic and random data), and for files and folders the number of files,
// their total size and the newest modification time, so edits invalidate it.
std::string decoded_cache_key(const DataSpec& spec, const DecodeOptions& options, std::uint64_t seed);

// The file for `key` inside `dir`.
std::string decoded_cache_path(const std::string& dir, const std::string& key);

// Writes atomically; throws latentlab::Error naming the file.
void save_decoded_cache(const std::string& path, const DecodedImages& images, const std::string& key);

// Nothing when the file is missing, was made for another key, or is damaged
// (the caller then decodes again); never throws for a bad file. The header's
// size, channels and image count must match the file's real size exactly
// before the pixels are allocated, and every value must be in range.
std::optional<DecodedImages> load_decoded_cache(const std::string& path, const std::string& key);

// load_data() through a cache folder: reuses a valid cache file for these
// settings, otherwise decodes and saves one. An empty `dir` means no cache.
// `reused` tells which happened.
DecodedImages load_data_with_cache(const DataSpec& spec, const DecodeOptions& options, std::uint64_t seed,
                                   const std::string& dir, bool* reused = nullptr);

} // namespace latentlab
