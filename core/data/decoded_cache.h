// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "data/data_source.h"
#include "data/decoded_images.h"

namespace latentlab {

// The pre-decoded cache saved for reuse, so that a second run on the same
// data decodes nothing, and the form in which a dataset larger than memory is
// trained on: its pixels are mapped, not read (PixelStore). One file holds the
// pixels, names, skipped files and attributes, with a key and a CRC-32:
//   "LLCACHE2", u64 pixel bytes P, u64 header bytes H, zeros up to byte 4096,
//   P bytes of pixels, H bytes of header JSON, u32 CRC-32 of everything after
//   the magic except the zeros (integers little endian).

// What the cache depends on: the SPEC, the decode size and channels, the seed
// (synthetic and random data), and for files and folders the number of files,
// their total size and the newest modification time, so edits invalidate it.
std::string decoded_cache_key(const DataSpec& spec, const DecodeOptions& options, std::uint64_t seed);

// The file for `key` inside `dir`.
std::string decoded_cache_path(const std::string& dir, const std::string& key);

// Writes atomically (through decoding_path(path), renamed into place); throws
// latentlab::Error naming the file. Pixels a source decoded straight into
// decoding_path(path) (DecodeOptions::pixel_file) are finished in place.
void save_decoded_cache(const std::string& path, const DecodedImages& images, const std::string& key);
// The file a cache is decoded into and written to before it is complete.
std::string decoding_path(const std::string& cache_path);

// Nothing when the file is missing, was made for another key, is damaged or
// was written by an older LatentLab (the caller then decodes again); never
// throws for a bad file. The header's size, channels and image count must
// match the file's real size exactly before the pixels are mapped, and every
// value must be in range. The pixels stay in the file, mapped read-only.
std::optional<DecodedImages> load_decoded_cache(const std::string& path, const std::string& key);

// load_data() through a cache folder: reuses a valid cache file for these
// settings, otherwise decodes and saves one; file sources (folders, CelebA,
// IDX) decode straight into the file, so their pixels are never all in
// memory. An empty `dir` means no cache. `reused` tells which happened.
// While one process decodes into a cache file it holds PATH.lock; another
// that wants the same file waits (cancellable through options.cancel) and
// then maps what the first one saved.
DecodedImages load_data_with_cache(const DataSpec& spec, const DecodeOptions& options, std::uint64_t seed,
                                   const std::string& dir, bool* reused = nullptr);

// Removes all but the `keep` most recently used cache files in `dir` (by
// modification time; a cache reused is touched), and any decoding_path()
// left by a decode that was killed. Files in use stay readable by whoever
// has them mapped. Returns how many were removed; never throws.
std::size_t prune_decoded_caches(const std::string& dir, std::size_t keep);

} // namespace latentlab
