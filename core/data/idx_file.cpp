// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/idx_file.h"

#include "common/error.h"
#include "common/memory.h"
#include "imaging/image.h"
#include "imaging/resize.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>

namespace latentlab {
namespace {

std::string hex_bytes(const unsigned char* b, int n) {
    std::string out;
    char buf[4];
    for (int i = 0; i < n; ++i) {
        std::snprintf(buf, sizeof buf, "%02x", b[i]);
        if (i) out += ' ';
        out += buf;
    }
    return out;
}

// An open gzFile that closes itself; read errors become latentlab::Error.
class GzReader {
public:
    explicit GzReader(const std::string& path) : path_(path) {
        std::error_code ec;
        if (std::filesystem::is_directory(path, ec))
            throw Error(path + ": is a directory, not an IDX file");
        // The size on disk bounds what the header may declare; a pipe or a
        // device has none.
        const auto status = std::filesystem::status(path, ec);
        if (!ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status))
            throw Error(path + ": not a regular file");
        errno = 0;
        file_ = gzopen(path.c_str(), "rb");
        if (!file_) {
            const int e = errno;
            throw Error(path + ": cannot open (" + (e ? std::strerror(e) : "out of memory") + ")");
        }
        gzbuffer(file_, 1 << 17);
        file_size_ = std::filesystem::file_size(path, ec);
        if (ec) throw Error(path + ": cannot read its size (" + ec.message() + ")");
    }
    ~GzReader() { if (file_) gzclose(file_); }
    GzReader(const GzReader&) = delete;
    GzReader& operator=(const GzReader&) = delete;

    // Reads up to n bytes; returns how many were read (fewer only at end of data).
    std::size_t read(unsigned char* dst, std::size_t n) {
        std::size_t total = 0;
        while (total < n) {
            const unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(n - total, 1u << 30));
            const int got = gzread(file_, dst + total, chunk);
            if (got < 0) {
                int code = 0;
                const char* msg = gzerror(file_, &code);
                if (code == Z_ERRNO)
                    throw Error(path_ + ": read error (" + std::strerror(errno) + ")");
                throw Error(path_ + ": corrupt gzip data (" + (msg ? msg : "unknown zlib error") + ")");
            }
            if (got == 0) {
                int code = 0;
                const char* msg = gzerror(file_, &code);
                // A gzip stream cut short reports Z_BUF_ERROR: that is a truncation, not corruption.
                if (code != Z_OK && code != Z_BUF_ERROR)
                    throw Error(path_ + ": corrupt gzip data (" + (msg ? msg : "unknown zlib error") + ")");
                break;
            }
            total += static_cast<std::size_t>(got);
        }
        return total;
    }

    // The size of the file on disk (compressed or not).
    std::uint64_t file_size() const { return file_size_; }
    // True for a plain file, false for gzip data. Valid after the first read.
    bool direct() const { return gzdirect(file_) != 0; }

private:
    std::string path_;
    gzFile file_ = nullptr;
    std::uint64_t file_size_ = 0;
};

// Deflate turns at most one byte into 1032 (a 258-byte match coded in two
// bits), so gzip data of N bytes never holds more than 1032 N.
constexpr std::uint64_t kMaxDeflateRatio = 1032;

// Magic plus one 4-byte size per dimension.
constexpr std::uint64_t kImageHeaderBytes = 4 + 3 * 4, kLabelHeaderBytes = 4 + 1 * 4;

// Throws unless the file can hold `need` bytes of `what` after its
// `header_bytes`-byte header: a plain file must be at least that long, gzip
// data must be able to expand to it. The gzip case is re-checked while
// reading, since only decompressing tells what is really there.
void check_declared_size(const GzReader& in, const std::string& path, std::uint64_t header_bytes,
                         std::uint64_t need, const char* what) {
    const std::uint64_t size = in.file_size();
    if (in.direct()) {
        const std::uint64_t have = size > header_bytes ? size - header_bytes : 0;
        if (have < need)
            throw Error(path + ": truncated IDX file: expected " + std::to_string(need) + " bytes of " + what +
                        ", found " + std::to_string(have));
    } else if (need / kMaxDeflateRatio > size) {
        throw Error(path + ": truncated IDX file: expected " + std::to_string(need) + " bytes of " + what +
                    ", more than " + std::to_string(size) + " bytes of gzip data can hold");
    }
}

// Reads and checks the magic and the dimension sizes. Returns the dimensions.
std::vector<std::uint32_t> read_header(GzReader& in, const std::string& path, int want_dims,
                                       const char* kind) {
    unsigned char magic[4];
    const std::size_t got = in.read(magic, 4);
    if (got < 4)
        throw Error(path + ": truncated IDX file: header is " + std::to_string(got) +
                    " bytes, expected at least 4");
    if (magic[0] != 0 || magic[1] != 0)
        throw Error(path + ": not an IDX file: magic bytes are " + hex_bytes(magic, 4) +
                    ", expected 00 00 08 0" + std::to_string(want_dims));
    if (magic[2] != 0x08)
        throw Error(path + ": unsupported IDX data type 0x" + hex_bytes(magic + 2, 1) +
                    " (only unsigned bytes, 0x08, are supported)");
    if (magic[3] != want_dims)
        throw Error(path + ": IDX file has " + std::to_string(magic[3]) + " dimension(s), expected " +
                    std::to_string(want_dims) + " for " + kind);

    std::vector<std::uint32_t> dims(static_cast<std::size_t>(want_dims));
    unsigned char raw[4 * 3];
    const std::size_t need = 4u * static_cast<std::size_t>(want_dims);
    const std::size_t got_dims = in.read(raw, need);
    if (got_dims < need)
        throw Error(path + ": truncated IDX file: header is " + std::to_string(4 + got_dims) +
                    " bytes, expected " + std::to_string(4 + need));
    for (int i = 0; i < want_dims; ++i) {
        const unsigned char* b = raw + 4 * i;
        dims[static_cast<std::size_t>(i)] = (std::uint32_t(b[0]) << 24) | (std::uint32_t(b[1]) << 16) |
                                            (std::uint32_t(b[2]) << 8) | std::uint32_t(b[3]);
    }
    return dims;
}

std::string file_name(const std::string& path) {
    return std::filesystem::path(path).filename().string();
}

} // namespace

DecodedImages decode_idx_images(const std::string& path, const DecodeOptions& options) {
    if (options.size < 1 || options.size > 8192)
        throw Error(path + ": invalid image size " + std::to_string(options.size) + " (must be 1..8192)");
    const int channels = options.channels == 0 ? 1 : options.channels;
    if (channels != 1 && channels != 3)
        throw Error(path + ": invalid channel count " + std::to_string(options.channels) +
                    " (must be 0, 1 or 3)");

    GzReader in(path);
    const auto dims = read_header(in, path, 3, "images");
    const std::uint32_t count = dims[0], rows = dims[1], cols = dims[2];
    if (count == 0)
        throw Error(path + ": IDX file holds no images (count is 0)");
    if (rows == 0 || cols == 0 || rows > 16384 || cols > 16384)
        throw Error(path + ": implausible IDX image size " + std::to_string(rows) + " x " +
                    std::to_string(cols));
    const std::size_t in_bytes = static_cast<std::size_t>(rows) * cols;  // at most 2^28
    std::uint64_t expected = 0;
    if (!multiply_fits(in_bytes, count, expected))
        throw Error(path + ": implausible IDX image count " + std::to_string(count));
    check_declared_size(in, path, kImageHeaderBytes, expected, "pixels");

    DecodedImages out;
    out.size = options.size;
    out.channels = channels;
    const std::size_t out_bytes = out.image_bytes();
    std::uint64_t total_out = 0;
    if (!multiply_fits(out_bytes, count, total_out) || total_out > std::numeric_limits<std::size_t>::max() / 2)
        throw Error(path + ": " + std::to_string(count) + " images at size " + std::to_string(options.size) +
                    " do not fit in memory");
    // A plain file was measured; gzip data is only known once inflated, so the
    // buffer grows in memory with what really arrives. A measured file may
    // decode straight into the decoded cache's file (the disk holds it, not RAM).
    if (in.direct() && !options.pixel_file.empty()) {
        out.pixels = PixelStore::create_file(options.pixel_file, kDecodedCachePixelOffset, total_out);
        out.pixels.resize(0);
    } else {
        require_memory(total_out, path + ": " + std::to_string(count) + " images at " + std::to_string(options.size) +
                                      " x " + std::to_string(options.size) + " x " + std::to_string(channels));
        if (in.direct()) out.pixels.reserve(total_out);
    }

    // Read a batch of images at a time and convert each straight into place.
    const std::size_t batch = std::max<std::size_t>(1, (std::size_t(4) << 20) / in_bytes);
    std::vector<unsigned char> buf(std::min<std::uint64_t>(batch, count) * in_bytes);
    Image gray(static_cast<int>(cols), static_cast<int>(rows), 1);
    std::size_t done = 0;
    while (done < count) {
        throw_if_cancelled(options, path);
        const std::size_t n = std::min<std::size_t>(batch, count - done);
        const std::size_t got = in.read(buf.data(), n * in_bytes);
        if (got < n * in_bytes)
            throw Error(path + ": truncated IDX file: expected " + std::to_string(expected) +
                        " bytes of pixels, found " + std::to_string(done * in_bytes + got));
        out.pixels.resize((done + n) * out_bytes);
        for (std::size_t i = 0; i < n; ++i) {
            std::copy_n(buf.data() + i * in_bytes, in_bytes, gray.pixels.data());
            Image img = resize_to_square(gray, options.size);
            if (channels == 3) img = convert_channels(img, 3);
            std::copy(img.pixels.begin(), img.pixels.end(), out.pixels.begin() + (done + i) * out_bytes);
        }
        done += n;
    }

    const std::string base = file_name(path);
    out.names.reserve(count);
    for (std::uint32_t i = 0; i < count; ++i) out.names.push_back(base + "#" + std::to_string(i));
    return out;
}

std::vector<std::uint8_t> read_idx_labels(const std::string& path) {
    GzReader in(path);
    const auto dims = read_header(in, path, 1, "labels");
    const std::uint32_t count = dims[0];
    if (count > (1u << 31))
        throw Error(path + ": implausible IDX label count " + std::to_string(count));
    check_declared_size(in, path, kLabelHeaderBytes, count, "labels");
    // Grows chunk by chunk: gzip data is only known once inflated.
    constexpr std::size_t kChunk = std::size_t(1) << 20;
    std::vector<std::uint8_t> labels;
    while (labels.size() < count) {
        const std::size_t at = labels.size();
        const std::size_t n = std::min<std::size_t>(kChunk, count - at);
        labels.resize(at + n);
        const std::size_t got = in.read(labels.data() + at, n);
        if (got < n)
            throw Error(path + ": truncated IDX file: expected " + std::to_string(count) +
                        " bytes of labels, found " + std::to_string(at + got));
    }
    return labels;
}

} // namespace latentlab
