// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace latentlab {

// Where a folder's decode straight into a cache file got to, kept beside that
// file (PIXEL_FILE.json), so that a decode stopped part-way (Ctrl-C, a closed
// window, a killed process) resumes there instead of starting again.
struct DecodeJournal {
    std::uint64_t candidates = 0;  // files the decode was given, in sorted order
    std::uint32_t names_crc = 0;   // CRC-32 of their names, one per line: the same folder
    int size = 0;
    int channels = 0;
    std::uint64_t done_below = 0;  // every slot below this one is decoded, or failed
    std::vector<std::pair<std::uint64_t, std::string>> failed;  // slots below done_below that failed, and why
};

std::string decode_journal_path(const std::string& pixel_file);
// Atomically; throws latentlab::Error naming the file.
void write_decode_journal(const std::string& pixel_file, const DecodeJournal& journal);
// Nothing when there is none or it cannot be read (the decode then starts afresh).
std::optional<DecodeJournal> read_decode_journal(const std::string& pixel_file);
void remove_decode_journal(const std::string& pixel_file);

} // namespace latentlab
