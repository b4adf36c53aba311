// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/tfrecord.h"

#include <array>
#include <cerrno>
#include <cstring>

#include "common/error.h"

namespace latentlab {
namespace {

constexpr std::uint32_t kCastagnoli = 0x82F63B78u;  // the reflected polynomial
constexpr std::uint32_t kMaskDelta = 0xa282ead8u;

constexpr std::array<std::uint32_t, 256> make_table() {
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int bit = 0; bit < 8; ++bit) c = (c & 1u) ? (c >> 1) ^ kCastagnoli : c >> 1;
        table[i] = c;
    }
    return table;
}
constexpr auto kTable = make_table();

std::string little_endian(std::uint64_t value, int bytes) {
    std::string out(static_cast<std::size_t>(bytes), '\0');
    for (int i = 0; i < bytes; ++i) out[static_cast<std::size_t>(i)] = static_cast<char>((value >> (8 * i)) & 0xFFu);
    return out;
}

} // namespace

std::uint32_t crc32c(std::string_view bytes) {
    std::uint32_t c = 0xFFFFFFFFu;
    for (const char ch : bytes) c = kTable[(c ^ static_cast<unsigned char>(ch)) & 0xFFu] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

std::uint32_t masked_crc32c(std::string_view bytes) {
    const std::uint32_t c = crc32c(bytes);
    return ((c >> 15) | (c << 17)) + kMaskDelta;
}

TfRecordWriter::TfRecordWriter(std::string path) : path_(std::move(path)) {
    out_.open(path_, std::ios::binary | std::ios::trunc);
    if (!out_) throw Error(path_ + ": cannot create the file (" + std::strerror(errno) + ")");
}

void TfRecordWriter::write(std::string_view record) {
    const std::string length = little_endian(record.size(), 8);
    std::string framed = length;
    framed += little_endian(masked_crc32c(length), 4);
    framed.append(record.data(), record.size());
    framed += little_endian(masked_crc32c(record), 4);
    out_.write(framed.data(), static_cast<std::streamsize>(framed.size()));
    out_.flush();
    if (!out_) throw Error(path_ + ": cannot write the TensorBoard record (" + std::strerror(errno) + ")");
}

} // namespace latentlab
