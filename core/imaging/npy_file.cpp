// SPDX-License-Identifier: GPL-3.0-or-later
#include "imaging/npy_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>

#include "common/error.h"

namespace latentlab {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicSize = 6;
constexpr std::size_t kHeaderAlignment = 64;  // the format pads the header so the data starts aligned

// Opens `path` and writes a version 1.0 header: magic, 2 version bytes, 2
// header-length bytes, the header dictionary padded so the data is aligned.
std::ofstream open_npy(const std::string& path, const std::string& descr, const std::vector<std::size_t>& shape) {
    std::string dims;
    for (const std::size_t d : shape) dims += std::to_string(d) + ", ";
    std::string header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" +
                         dims.substr(0, shape.size() == 1 ? dims.size() - 1 : dims.size() - 2) + "), }";
    const std::size_t prefix = kMagicSize + 4;
    const std::size_t padded = (prefix + header.size() + 1 + kHeaderAlignment - 1) / kHeaderAlignment * kHeaderAlignment;
    header.append(padded - prefix - header.size() - 1, ' ');
    header.push_back('\n');

    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(path + ": cannot write (" + std::strerror(errno) + ")");
    out.write(kMagic, kMagicSize);
    const unsigned char version_and_length[4] = {1, 0, static_cast<unsigned char>(header.size() & 0xff),
                                                 static_cast<unsigned char>(header.size() >> 8)};
    out.write(reinterpret_cast<const char*>(version_and_length), 4);
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    return out;
}

void finish(std::ofstream& out, const std::string& path) {
    out.close();
    if (!out) throw Error(path + ": writing failed (" + std::strerror(errno) + ")");
}

} // namespace

void write_npy(const std::string& path, const std::vector<Image>& images) {
    if (images.empty()) throw Error(path + ": no images to write");
    const Image& first = images.front();
    for (const auto& image : images)
        if (image.width != first.width || image.height != first.height || image.channels != first.channels)
            throw Error(path + ": the images differ in size, they cannot share one array");

    std::ofstream out = open_npy(path, "|u1", {images.size(), static_cast<std::size_t>(first.channels),
                                               static_cast<std::size_t>(first.height), static_cast<std::size_t>(first.width)});
    // Interleaved HWC -> planar CHW, one image at a time.
    const std::size_t plane = static_cast<std::size_t>(first.width) * first.height;
    std::vector<std::uint8_t> planar(plane * first.channels);
    for (const auto& image : images) {
        for (std::size_t p = 0; p < plane; ++p)
            for (int c = 0; c < image.channels; ++c) planar[c * plane + p] = image.pixels[p * image.channels + c];
        out.write(reinterpret_cast<const char*>(planar.data()), static_cast<std::streamsize>(planar.size()));
    }
    finish(out, path);
}

void write_npy_float32(const std::string& path, const std::vector<std::size_t>& shape, const std::vector<float>& values) {
    static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "'<f4' is little endian");
    std::size_t count = 1;
    for (const std::size_t d : shape) count *= d;
    if (shape.empty() || count != values.size())
        throw Error(path + ": " + std::to_string(values.size()) + " values do not fill the array's shape");
    std::ofstream out = open_npy(path, "<f4", shape);
    out.write(reinterpret_cast<const char*>(values.data()), static_cast<std::streamsize>(values.size() * sizeof(float)));
    finish(out, path);
}

} // namespace latentlab
