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

} // namespace

void write_npy(const std::string& path, const std::vector<Image>& images) {
    if (images.empty()) throw Error(path + ": no images to write");
    const Image& first = images.front();
    for (const auto& image : images)
        if (image.width != first.width || image.height != first.height || image.channels != first.channels)
            throw Error(path + ": the images differ in size, they cannot share one array");

    std::string header = "{'descr': '|u1', 'fortran_order': False, 'shape': (" + std::to_string(images.size()) + ", " +
                         std::to_string(first.channels) + ", " + std::to_string(first.height) + ", " +
                         std::to_string(first.width) + "), }";
    // Version 1.0: magic, 2 version bytes, 2 header-length bytes, header ending in '\n'.
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
    // Interleaved HWC -> planar CHW, one image at a time.
    const std::size_t plane = static_cast<std::size_t>(first.width) * first.height;
    std::vector<std::uint8_t> planar(plane * first.channels);
    for (const auto& image : images) {
        for (std::size_t p = 0; p < plane; ++p)
            for (int c = 0; c < image.channels; ++c) planar[c * plane + p] = image.pixels[p * image.channels + c];
        out.write(reinterpret_cast<const char*>(planar.data()), static_cast<std::streamsize>(planar.size()));
    }
    out.close();
    if (!out) throw Error(path + ": writing failed (" + std::strerror(errno) + ")");
}

} // namespace latentlab
