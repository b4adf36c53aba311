// SPDX-License-Identifier: GPL-3.0-or-later
#include "imaging/png_file.h"

#include "common/atomic_file.h"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include "common/error.h"

#ifdef LATENTLAB_HAVE_OPENCV
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#endif

namespace latentlab {
namespace {

void check_image(const Image& image) {
    if (image.width <= 0 || image.height <= 0 || (image.channels != 1 && image.channels != 3) ||
        image.pixels.size() != static_cast<std::size_t>(image.width) * image.height * image.channels)
        throw Error("cannot encode an image of " + std::to_string(image.width) + "x" +
                    std::to_string(image.height) + "x" + std::to_string(image.channels) + " as PNG");
}

void append_u32(std::string& out, std::uint32_t v) {
    const char bytes[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                           static_cast<char>(v >> 8), static_cast<char>(v)};
    out.append(bytes, 4);
}

void append_chunk(std::string& out, const char type[4], const std::string& data) {
    append_u32(out, static_cast<std::uint32_t>(data.size()));
    const std::size_t type_at = out.size();
    out.append(type, 4);
    out += data;
    uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(out.data() + type_at), static_cast<uInt>(4 + data.size()));
    append_u32(out, static_cast<std::uint32_t>(crc));
}

} // namespace

std::string encode_png_with_zlib(const Image& image) {
    check_image(image);
    constexpr std::uint8_t kBitDepth = 8;
    constexpr std::uint8_t kColourGray = 0, kColourRgb = 2;
    const std::size_t row_bytes = static_cast<std::size_t>(image.width) * image.channels;

    // Each scanline is preceded by its filter type; 0 = none.
    std::string raw;
    raw.reserve((row_bytes + 1) * image.height);
    for (int y = 0; y < image.height; ++y) {
        raw.push_back('\0');
        raw.append(reinterpret_cast<const char*>(image.at(0, y)), row_bytes);
    }
    uLongf packed_size = compressBound(static_cast<uLong>(raw.size()));
    std::string packed(packed_size, '\0');
    if (compress2(reinterpret_cast<Bytef*>(packed.data()), &packed_size,
                  reinterpret_cast<const Bytef*>(raw.data()), static_cast<uLong>(raw.size()),
                  Z_DEFAULT_COMPRESSION) != Z_OK)
        throw Error("zlib failed to compress a PNG image");
    packed.resize(packed_size);

    std::string header;
    append_u32(header, static_cast<std::uint32_t>(image.width));
    append_u32(header, static_cast<std::uint32_t>(image.height));
    header.push_back(static_cast<char>(kBitDepth));
    header.push_back(static_cast<char>(image.channels == 1 ? kColourGray : kColourRgb));
    header.append(3, '\0');  // compression, filter, interlace: the defaults

    std::string out("\x89PNG\r\n\x1a\n", 8);
    append_chunk(out, "IHDR", header);
    append_chunk(out, "IDAT", packed);
    append_chunk(out, "IEND", std::string());
    return out;
}

std::string encode_png(const Image& image) {
#ifdef LATENTLAB_HAVE_OPENCV
    check_image(image);
    cv::Mat view(image.height, image.width, image.channels == 1 ? CV_8UC1 : CV_8UC3,
                 const_cast<std::uint8_t*>(image.pixels.data()));
    cv::Mat bgr;
    if (image.channels == 3) cv::cvtColor(view, bgr, cv::COLOR_RGB2BGR);
    else bgr = view;
    std::vector<std::uint8_t> bytes;
    if (!cv::imencode(".png", bgr, bytes)) throw Error("OpenCV failed to encode a PNG image");
    return std::string(bytes.begin(), bytes.end());
#else
    return encode_png_with_zlib(image);
#endif
}

void write_png(const std::string& path, const Image& image) {
    write_file_atomically(path, encode_png(image));
}

} // namespace latentlab
