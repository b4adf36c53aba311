// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>

namespace latentlab {

// CRC-32C (Castagnoli), the checksum of TFRecord files.
std::uint32_t crc32c(std::string_view bytes);
// TFRecord's masked form of it: rotated right by 15 bits plus 0xa282ead8.
std::uint32_t masked_crc32c(std::string_view bytes);

// Appends TFRecord records to a file: length (uint64 little-endian), masked
// CRC-32C of the length, the data, masked CRC-32C of the data. Every record
// is flushed at once, so a reader sees it while the writer runs and a killed
// process loses at most the record it was writing.
class TfRecordWriter {
public:
    // Creates or truncates `path`. Throws latentlab::Error naming it.
    explicit TfRecordWriter(std::string path);

    // Throws latentlab::Error naming the file when the write fails (disk full).
    void write(std::string_view record);

    const std::string& path() const { return path_; }

private:
    std::string path_;
    std::ofstream out_;
};

} // namespace latentlab
