// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "data/pixel_store.h"
#include "imaging/image.h"

namespace latentlab {

// A file that a source could not use, and why (for the run folder's report).
struct SkippedFile {
    std::string path;
    std::string reason;
};

// Per-image binary attributes in CelebA's sense: +1 present, -1 absent.
struct AttributeTable {
    std::vector<std::string> names;                // column names, e.g. "Smiling"
    std::vector<std::vector<std::int8_t>> values;  // one row per image, names.size() wide

    bool empty() const { return names.empty(); }
    int column(const std::string& name) const {
        for (std::size_t i = 0; i < names.size(); ++i)
            if (names[i] == name) return static_cast<int>(i);
        return -1;
    }
};

// What every data source produces: all usable images decoded once into one
// uint8 buffer at a fixed square size. This buffer is the pre-decoded cache the
// training pipeline reads from; nothing is decoded again after it is built.
// It lives in memory, or in a decoded-cache file the OS pages (decoded_cache.h).
struct DecodedImages {
    int size = 0;      // every image is size x size
    int channels = 0;  // 1 or 3
    PixelStore pixels;                 // count() images, each size*size*channels bytes, HWC; in memory or mapped
    std::vector<std::string> names;    // one per image: a path relative to the source, or a generated name
    std::vector<SkippedFile> skipped;  // inputs that were passed over, with reasons
    AttributeTable attributes;         // empty when the source has none

    std::size_t image_bytes() const { return static_cast<std::size_t>(size) * size * channels; }
    std::size_t count() const { return image_bytes() ? pixels.size() / image_bytes() : 0; }
    const std::uint8_t* image(std::size_t i) const { return pixels.data() + i * image_bytes(); }
    // Image i as an Image of its own (a copy of its pixels).
    Image copy_image(std::size_t i) const {
        Image out(size, size, channels);
        std::copy(image(i), image(i) + image_bytes(), out.pixels.begin());
        return out;
    }
};

// Where the pixels start in a decoded-cache file (a page boundary, so they can be mapped).
inline constexpr std::uint64_t kDecodedCachePixelOffset = 4096;

// How a source should decode: the square size to store and the channel count.
struct DecodeOptions {
    int size = 64;       // stored size (the training size, or larger for random crops)
    int channels = 0;    // 1 or 3; 0 = the source's natural count (3 for colour sources, 1 for IDX)
    int workers = 2;     // decoding threads for file sources
    // When set, file sources decode straight into this file at
    // kDecodedCachePixelOffset (the decoded cache being written,
    // load_data_with_cache) instead of into memory.
    std::string pixel_file = {};
    // When set, a folder decode calls it from the calling thread about every
    // 1000 images with the images decoded so far and the total (for a progress line).
    std::function<void(std::size_t done, std::size_t total)> progress = {};
    // When set, decoding checks it between files (or batches of images) and,
    // once it is true, stops and throws latentlab::Cancelled.
    const std::atomic<bool>* cancel = nullptr;

    bool cancelled() const { return cancel && cancel->load(std::memory_order_relaxed); }
};

// Throws latentlab::Cancelled "<what>: cancelled" when options.cancelled().
void throw_if_cancelled(const DecodeOptions& options, const std::string& what);

} // namespace latentlab
