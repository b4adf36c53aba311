// SPDX-License-Identifier: GPL-3.0-or-later
#include "imaging/image_header.h"

#include <algorithm>
#include <cstring>

namespace latentlab {
namespace {

constexpr const char* kUndecodable = "not a decodable image";

// Bounds-checked big- and little-endian reads: 0 past the end.
struct Bytes {
    const unsigned char* p;
    std::size_t n;

    bool has(std::uint64_t at, std::uint64_t len) const { return at <= n && len <= n - at; }
    std::uint64_t be(std::uint64_t at, int len) const {
        if (!has(at, static_cast<std::uint64_t>(len))) return 0;
        std::uint64_t v = 0;
        for (int i = 0; i < len; ++i) v = (v << 8) | p[at + static_cast<std::uint64_t>(i)];
        return v;
    }
    std::uint64_t le(std::uint64_t at, int len) const {
        if (!has(at, static_cast<std::uint64_t>(len))) return 0;
        std::uint64_t v = 0;
        for (int i = len - 1; i >= 0; --i) v = (v << 8) | p[at + static_cast<std::uint64_t>(i)];
        return v;
    }
    bool starts_with(std::uint64_t at, const char* text, std::size_t len) const {
        return has(at, len) && std::memcmp(p + at, text, len) == 0;
    }
};

ImageHeader fail(ImageHeader h, const char* problem) {
    h.problem = problem;
    return h;
}

// SOF0..SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) do not.
bool is_start_of_frame(unsigned char m) { return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC; }

ImageHeader read_jpeg(const Bytes& b) {
    ImageHeader h;
    h.format = "JPEG";
    constexpr const char* kTruncated = "truncated JPEG (no end-of-image marker)";
    std::size_t pos = 2;  // after FF D8
    bool have_frame = false, have_scan = false;
    for (;;) {
        // The next marker: FF (any fill bytes FF) then a code. Stray bytes
        // between segments are skipped, as decoders do.
        while (pos < b.n && b.p[pos] != 0xFF) ++pos;
        while (pos < b.n && b.p[pos] == 0xFF) ++pos;
        if (pos >= b.n) return fail(h, kTruncated);
        const unsigned char m = b.p[pos++];
        if (m == 0xD9) {  // end of image
            if (!have_frame || !have_scan) return fail(h, kUndecodable);
            return h;
        }
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD8)) continue;  // markers without a length
        if (!b.has(pos, 2)) return fail(h, kTruncated);
        const std::size_t length = static_cast<std::size_t>(b.be(pos, 2));
        if (length < 2) return fail(h, kUndecodable);
        if (!b.has(pos, length)) return fail(h, kTruncated);
        if (is_start_of_frame(m) && !have_frame) {
            if (length < 8) return fail(h, kUndecodable);
            h.height = b.be(pos + 3, 2);
            h.width = b.be(pos + 5, 2);
            if (h.width == 0 || h.height == 0) return fail(h, kUndecodable);  // DNL-sized frames are not decoded
            have_frame = true;
        }
        pos += length;
        if (m != 0xDA) continue;
        // Start of scan: entropy-coded data follows up to the next marker
        // other than a stuffed zero or a restart marker.
        if (!have_frame) return fail(h, kUndecodable);
        have_scan = true;
        for (;;) {
            const void* ff = std::memchr(b.p + pos, 0xFF, b.n - pos);
            if (!ff) return fail(h, kTruncated);
            pos = static_cast<std::size_t>(static_cast<const unsigned char*>(ff) - b.p);
            if (pos + 1 >= b.n) return fail(h, kTruncated);
            const unsigned char next = b.p[pos + 1];
            if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
                pos += 2;
            } else if (next == 0xFF) {
                pos += 1;
            } else {
                break;  // a real marker: back to the segment loop
            }
        }
    }
}

ImageHeader read_png(const Bytes& b) {
    ImageHeader h;
    h.format = "PNG";
    constexpr const char* kTruncated = "truncated PNG (no IEND chunk)";
    std::uint64_t pos = 8;
    bool first = true;
    for (;;) {
        if (!b.has(pos, 8)) return fail(h, kTruncated);
        const std::uint64_t length = b.be(pos, 4);
        if (length > 0x7FFFFFFFu) return fail(h, kUndecodable);
        if (first) {
            if (!b.starts_with(pos + 4, "IHDR", 4) || length < 13) return fail(h, kUndecodable);
            h.width = b.be(pos + 8, 4);
            h.height = b.be(pos + 12, 4);
            if (h.width == 0 || h.height == 0) return fail(h, kUndecodable);
            first = false;
        }
        const bool end = b.starts_with(pos + 4, "IEND", 4);
        if (!b.has(pos, 12 + length)) return fail(h, kTruncated);  // length, type, data, CRC
        pos += 12 + length;
        if (end) return h;
    }
}

ImageHeader read_bmp(const Bytes& b) {
    ImageHeader h;
    h.format = "BMP";
    if (!b.has(0, 18)) return fail(h, "truncated BMP (incomplete header)");
    const std::uint64_t offset = b.le(10, 4);
    const std::uint64_t header = b.le(14, 4);
    if (header == 12) {  // OS/2 core header: 16-bit sizes
        if (!b.has(0, 26)) return fail(h, "truncated BMP (incomplete header)");
        h.width = b.le(18, 2);
        h.height = b.le(20, 2);
    } else if (header >= 36) {
        if (!b.has(0, 14 + std::min<std::uint64_t>(header, 40))) return fail(h, "truncated BMP (incomplete header)");
        // Signed 32-bit sizes; a negative height means top-down rows. Taken
        // in 64 bits so that INT32_MIN has a magnitude.
        const auto width = static_cast<std::int64_t>(static_cast<std::int32_t>(static_cast<std::uint32_t>(b.le(18, 4))));
        const auto height = static_cast<std::int64_t>(static_cast<std::int32_t>(static_cast<std::uint32_t>(b.le(22, 4))));
        h.width = static_cast<std::uint64_t>(width < 0 ? -width : width);
        h.height = static_cast<std::uint64_t>(height < 0 ? -height : height);
        const std::uint64_t bpp = b.le(28, 2);
        const std::uint64_t compression = b.le(30, 4);
        if (header >= 40 && (compression == 0 || compression == 3) && h.width > 0 && h.height > 0) {
            // Uncompressed: the size follows from the header. A row is at
            // most 2^31 x 65535 bits; rows x row bytes is checked for overflow.
            const std::uint64_t stride = ((h.width * bpp + 31) / 32) * 4;
            std::uint64_t pixels = 0;
            if (__builtin_mul_overflow(stride, h.height, &pixels) || pixels > b.n || offset > b.n - pixels)
                return fail(h, "truncated BMP (pixel data ends early)");
        }
    } else {
        return fail(h, kUndecodable);
    }
    if (h.width == 0 || h.height == 0) return fail(h, kUndecodable);
    return h;
}

ImageHeader read_webp(const Bytes& b) {
    ImageHeader h;
    h.format = "WebP";
    if (b.le(4, 4) + 8 > b.n) return fail(h, "truncated WebP (shorter than its RIFF header says)");
    constexpr std::uint64_t data = 20;  // after "RIFF" size "WEBP" fourcc size
    if (b.starts_with(12, "VP8 ", 4)) {
        if (!b.has(data, 10) || b.be(data + 3, 3) != 0x9D012A) return fail(h, kUndecodable);
        h.width = b.le(data + 6, 2) & 0x3FFF;
        h.height = b.le(data + 8, 2) & 0x3FFF;
    } else if (b.starts_with(12, "VP8L", 4)) {
        if (!b.has(data, 5) || b.p[data] != 0x2F) return fail(h, kUndecodable);
        const std::uint64_t bits = b.le(data + 1, 4);
        h.width = (bits & 0x3FFF) + 1;
        h.height = ((bits >> 14) & 0x3FFF) + 1;
    } else if (b.starts_with(12, "VP8X", 4)) {
        if (!b.has(data, 10)) return fail(h, kUndecodable);
        h.width = b.le(data + 4, 3) + 1;
        h.height = b.le(data + 7, 3) + 1;
    } else {
        return fail(h, kUndecodable);
    }
    if (h.width == 0 || h.height == 0) return fail(h, kUndecodable);
    return h;
}

// One directory entry of a TIFF file: where its values are and how wide.
struct TiffField {
    std::uint64_t type = 0, count = 0, at = 0;  // at: the first value's position
    bool present = false;
};

ImageHeader read_tiff(const Bytes& b, bool little, bool big_tiff) {
    ImageHeader h;
    h.format = "TIFF";
    constexpr const char* kNoDirectory = "truncated TIFF (its image directory lies past the end)";
    constexpr const char* kDataCut = "truncated TIFF (image data ends early)";
    const auto get = [&](std::uint64_t at, int len) { return little ? b.le(at, len) : b.be(at, len); };
    const std::uint64_t ifd = big_tiff ? get(8, 8) : get(4, 4);
    const int count_bytes = big_tiff ? 8 : 2, entry_bytes = big_tiff ? 20 : 12, field_bytes = big_tiff ? 8 : 4;
    if (!b.has(ifd, static_cast<std::uint64_t>(count_bytes))) return fail(h, kNoDirectory);
    const std::uint64_t entries = get(ifd, count_bytes);
    const std::uint64_t first = ifd + static_cast<std::uint64_t>(count_bytes);
    if (entries > b.n / static_cast<std::uint64_t>(entry_bytes) ||
        !b.has(first, entries * static_cast<std::uint64_t>(entry_bytes)))
        return fail(h, kNoDirectory);

    const auto value_size = [](std::uint64_t type) -> int { return type == 3 ? 2 : type == 4 ? 4 : type == 16 ? 8 : 0; };
    TiffField offsets, byte_counts;  // of the strips, or of the tiles
    for (std::uint64_t i = 0; i < entries; ++i) {
        const std::uint64_t at = first + i * static_cast<std::uint64_t>(entry_bytes);
        TiffField f;
        const std::uint64_t tag = get(at, 2);
        f.type = get(at + 2, 2);
        f.count = get(at + 4, field_bytes);
        const int size = value_size(f.type);
        if (size == 0 || f.count == 0 || f.count > b.n) continue;
        const std::uint64_t total = f.count * static_cast<std::uint64_t>(size);
        const std::uint64_t field = at + 4 + static_cast<std::uint64_t>(field_bytes);
        f.at = total <= static_cast<std::uint64_t>(field_bytes) ? field : get(field, field_bytes);
        if (!b.has(f.at, total)) return fail(h, kDataCut);
        f.present = true;
        if (tag == 256) h.width = get(f.at, size);
        else if (tag == 257) h.height = get(f.at, size);
        else if (tag == 273 || tag == 324) offsets = f;
        else if (tag == 279 || tag == 325) byte_counts = f;
    }
    if (h.width == 0 || h.height == 0 || !offsets.present || !byte_counts.present ||
        offsets.count != byte_counts.count)
        return fail(h, kUndecodable);
    // Every strip (or tile) must lie inside the file.
    const int offset_size = value_size(offsets.type), count_size = value_size(byte_counts.type);
    for (std::uint64_t i = 0; i < offsets.count; ++i) {
        const std::uint64_t start = get(offsets.at + i * static_cast<std::uint64_t>(offset_size), offset_size);
        const std::uint64_t length = get(byte_counts.at + i * static_cast<std::uint64_t>(count_size), count_size);
        if (!b.has(start, length)) return fail(h, kDataCut);
    }
    return h;
}

} // namespace

ImageHeader read_image_header(const unsigned char* data, std::size_t size) {
    const Bytes b{data, data ? size : 0};
    if (b.n >= 3 && b.p[0] == 0xFF && b.p[1] == 0xD8 && b.p[2] == 0xFF) return read_jpeg(b);
    if (b.starts_with(0, "\x89PNG\r\n\x1a\n", 8)) return read_png(b);
    if (b.starts_with(0, "BM", 2)) return read_bmp(b);
    if (b.starts_with(0, "RIFF", 4) && b.starts_with(8, "WEBP", 4)) return read_webp(b);
    if (b.starts_with(0, "II*\0", 4)) return read_tiff(b, true, false);
    if (b.starts_with(0, "MM\0*", 4)) return read_tiff(b, false, false);
    if (b.starts_with(0, "II+\0", 4)) return read_tiff(b, true, true);
    if (b.starts_with(0, "MM\0+", 4)) return read_tiff(b, false, true);
    ImageHeader h;
    h.problem = kUndecodable;
    return h;
}

} // namespace latentlab
