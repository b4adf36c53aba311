// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace latentlab {

// The most pixels LatentLab decodes from one image file (50 megapixels: a
// 16-bit RGBA image this size is 400 MB). Larger files are skipped.
inline constexpr std::uint64_t kMaxDecodedPixels = 50'000'000;

// What an encoded image declares about itself, read from its bytes without
// decoding any pixel.
struct ImageHeader {
    std::string format;            // "PNG", "JPEG", "BMP", "WebP", "TIFF"; empty when not recognised
    std::uint64_t width = 0;       // as declared (0 when unknown)
    std::uint64_t height = 0;
    std::string problem;           // why the bytes cannot be decoded; empty when they look whole
};

// Reads the format and the size of a PNG, JPEG, BMP, WebP or TIFF image, and
// checks that its container is complete, since some decoders fill in missing
// data without complaint:
// - JPEG: the segments are walked from the start marker through every scan to
//   the end-of-image marker; bytes after it (a motion photo's video, padding)
//   are allowed, a file that ends before it is "truncated JPEG (no
//   end-of-image marker)". A thumbnail inside an APP segment does not count.
// - PNG: the chunks are walked to IEND ("truncated PNG (no IEND chunk)").
// - BMP: uncompressed pixel data must be as long as the header says.
// - WebP: the file must be as long as its RIFF header says.
// - TIFF: the first image directory and all its strips or tiles must lie
//   inside the file.
// Anything else, or a header without a usable size, gives "not a decodable
// image". Never reads outside [data, data + size).
ImageHeader read_image_header(const unsigned char* data, std::size_t size);

} // namespace latentlab
