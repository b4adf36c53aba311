// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/idx_file.h"

#include "common/error.h"
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
        errno = 0;
        file_ = gzopen(path.c_str(), "rb");
        if (!file_) {
            const int e = errno;
            throw Error(path + ": cannot open (" + (e ? std::strerror(e) : "out of memory") + ")");
        }
        gzbuffer(file_, 1 << 17);
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

private:
    std::string path_;
    gzFile file_ = nullptr;
};

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
    const std::size_t in_bytes = static_cast<std::size_t>(rows) * cols;
    const std::size_t expected = in_bytes * count;
    if (expected / in_bytes != count || expected > (std::size_t(1) << 40))
        throw Error(path + ": implausible IDX image count " + std::to_string(count));

    DecodedImages out;
    out.size = options.size;
    out.channels = channels;
    const std::size_t out_bytes = out.image_bytes();
    const std::size_t total_out = out_bytes * count;
    if (total_out / out_bytes != count)
        throw Error(path + ": " + std::to_string(count) + " images at size " +
                    std::to_string(options.size) + " do not fit in memory");
    out.pixels.resize(total_out);

    // Read a batch of images at a time and convert each straight into place.
    const std::size_t batch = std::max<std::size_t>(1, (std::size_t(4) << 20) / in_bytes);
    std::vector<unsigned char> buf(batch * in_bytes);
    Image gray(static_cast<int>(cols), static_cast<int>(rows), 1);
    std::size_t done = 0;
    while (done < count) {
        const std::size_t n = std::min<std::size_t>(batch, count - done);
        const std::size_t got = in.read(buf.data(), n * in_bytes);
        if (got < n * in_bytes)
            throw Error(path + ": truncated IDX file: expected " + std::to_string(expected) +
                        " bytes of pixels, found " + std::to_string(done * in_bytes + got));
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
    std::vector<std::uint8_t> labels(count);
    const std::size_t got = in.read(labels.data(), labels.size());
    if (got < labels.size())
        throw Error(path + ": truncated IDX file: expected " + std::to_string(count) +
                    " bytes of labels, found " + std::to_string(got));
    return labels;
}

} // namespace latentlab
