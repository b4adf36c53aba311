// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/decode_journal.h"

#include <filesystem>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "common/atomic_file.h"

namespace latentlab {

std::string decode_journal_path(const std::string& pixel_file) { return pixel_file + ".json"; }

void write_decode_journal(const std::string& pixel_file, const DecodeJournal& j) {
    nlohmann::json failed = nlohmann::json::array();
    for (const auto& [slot, reason] : j.failed) failed.push_back({slot, reason});
    const nlohmann::json doc{{"candidates", j.candidates}, {"names_crc", j.names_crc}, {"size", j.size},
                             {"channels", j.channels},     {"done_below", j.done_below}, {"failed", failed}};
    write_file_atomically(decode_journal_path(pixel_file), doc.dump());
}

std::optional<DecodeJournal> read_decode_journal(const std::string& pixel_file) {
    std::ifstream in(decode_journal_path(pixel_file), std::ios::binary);
    if (!in) return std::nullopt;
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    try {
        const auto doc = nlohmann::json::parse(text);
        DecodeJournal j;
        j.candidates = doc.at("candidates").get<std::uint64_t>();
        j.names_crc = doc.at("names_crc").get<std::uint32_t>();
        j.size = doc.at("size").get<int>();
        j.channels = doc.at("channels").get<int>();
        j.done_below = doc.at("done_below").get<std::uint64_t>();
        for (const auto& f : doc.at("failed")) {
            const auto slot = f.at(0).get<std::uint64_t>();
            if (slot >= j.done_below) return std::nullopt;
            j.failed.emplace_back(slot, f.at(1).get<std::string>());
        }
        if (j.done_below > j.candidates) return std::nullopt;
        return j;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

void remove_decode_journal(const std::string& pixel_file) {
    std::error_code ec;
    std::filesystem::remove(decode_journal_path(pixel_file), ec);
}

} // namespace latentlab
