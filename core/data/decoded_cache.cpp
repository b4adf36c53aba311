// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/decoded_cache.h"

#include <cstring>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "common/binary_io.h"
#include "common/error.h"
#include "common/memory.h"
#include "imaging/png_file.h"

namespace latentlab {
namespace fs = std::filesystem;
namespace {

constexpr char kMagic[8] = {'L', 'L', 'C', 'A', 'C', 'H', 'E', '1'};
constexpr std::int64_t kMaxCachedSize = 8192;  // the largest decode size any source accepts

// File count, total bytes and newest modification time below `path`.
std::string file_signature(const std::string& path) {
    std::error_code ec;
    std::uintmax_t files = 0, bytes = 0;
    fs::file_time_type newest{};
    const auto visit = [&](const fs::directory_entry& e) {
        if (!e.is_regular_file(ec)) return;
        ++files;
        bytes += e.file_size(ec);
        newest = std::max(newest, e.last_write_time(ec));
    };
    if (fs::is_directory(path, ec)) {
        for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
             it != fs::recursive_directory_iterator(); it.increment(ec))
            visit(*it);
    } else {
        visit(fs::directory_entry(path, ec));
    }
    return std::to_string(files) + "/" + std::to_string(bytes) + "/" +
           std::to_string(newest.time_since_epoch().count());
}

} // namespace

std::string decoded_cache_key(const DataSpec& spec, const DecodeOptions& options, std::uint64_t seed) {
    std::string key = spec.describe() + "|" + std::to_string(options.size) + "|" + std::to_string(options.channels);
    if (spec.kind == DataSpec::Kind::Synthetic || spec.kind == DataSpec::Kind::Random)
        key += "|seed " + std::to_string(seed);
    else
        key += "|" + file_signature(spec.path);
    return key;
}

std::string decoded_cache_path(const std::string& dir, const std::string& key) {
    char name[32];
    std::snprintf(name, sizeof name, "%08x.llcache", static_cast<unsigned>(crc32_of(key.data(), key.size())));
    return (fs::path(dir) / name).string();
}

void save_decoded_cache(const std::string& path, const DecodedImages& images, const std::string& key) {
    nlohmann::json skipped = nlohmann::json::array();
    for (const auto& s : images.skipped) skipped.push_back({s.path, s.reason});
    const nlohmann::json header{{"key", key},
                                {"size", images.size},
                                {"channels", images.channels},
                                {"names", images.names},
                                {"skipped", skipped},
                                {"attribute_names", images.attributes.names},
                                {"attributes", images.attributes.values}};
    const std::string text = header.dump();
    std::string out(kMagic, sizeof kMagic);
    put_le<std::uint64_t>(out, text.size());
    out += text;
    out.append(reinterpret_cast<const char*>(images.pixels.data()), images.pixels.size());
    put_le<std::uint32_t>(out, crc32_of(out.data() + sizeof kMagic, out.size() - sizeof kMagic));
    std::error_code ec;
    fs::create_directories(fs::path(path).parent_path(), ec);
    write_file_atomically(path, out);
}

std::optional<DecodedImages> load_decoded_cache(const std::string& path, const std::string& key) {
    // Everything the header declares is checked against the file's real size
    // before the pixels are allocated; the checksum is verified as they are read.
    std::error_code ec;
    const std::uint64_t file_size = fs::file_size(path, ec);
    constexpr std::uint64_t kFixed = sizeof kMagic + 8 + 4;
    if (ec || file_size < kFixed) return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    char start[sizeof kMagic + 8];
    if (!in.read(start, sizeof start) || std::memcmp(start, kMagic, sizeof kMagic) != 0) return std::nullopt;
    const auto header_size = get_le<std::uint64_t>(start + sizeof kMagic);
    if (header_size > file_size - kFixed) return std::nullopt;
    const std::uint64_t pixel_bytes = file_size - kFixed - header_size;
    std::string text(static_cast<std::size_t>(header_size), '\0');
    if (!in.read(text.data(), static_cast<std::streamsize>(text.size()))) return std::nullopt;
    std::uint32_t crc = crc32_of(start + sizeof kMagic, 8);
    crc = static_cast<std::uint32_t>(crc32_z(crc, reinterpret_cast<const Bytef*>(text.data()), text.size()));

    DecodedImages d;
    try {
        const auto header = nlohmann::json::parse(text);
        text.clear();
        text.shrink_to_fit();
        if (!header.is_object() || header.value("key", std::string()) != key) return std::nullopt;
        const auto& size = header.at("size");
        const auto& channels = header.at("channels");
        if (!size.is_number_integer() || !channels.is_number_integer()) return std::nullopt;
        const std::int64_t s = size.get<std::int64_t>(), c = channels.get<std::int64_t>();
        if (s < 1 || s > kMaxCachedSize || (c != 1 && c != 3)) return std::nullopt;
        d.size = static_cast<int>(s);
        d.channels = static_cast<int>(c);
        d.names = header.at("names").get<std::vector<std::string>>();
        std::uint64_t want = 0;
        if (!multiply_fits(d.names.size(), d.image_bytes(), want) || want != pixel_bytes || d.names.empty())
            return std::nullopt;
        for (const auto& entry : header.at("skipped")) {
            if (!entry.is_array() || entry.size() != 2) return std::nullopt;
            d.skipped.push_back({entry.at(0).get<std::string>(), entry.at(1).get<std::string>()});
        }
        d.attributes.names = header.at("attribute_names").get<std::vector<std::string>>();
        const auto& rows = header.at("attributes");
        if (!rows.is_array() || (!rows.empty() && rows.size() != d.names.size())) return std::nullopt;
        d.attributes.values.reserve(rows.size());
        for (const auto& row : rows) {
            if (!row.is_array() || row.size() != d.attributes.names.size()) return std::nullopt;
            std::vector<std::int8_t> values;
            values.reserve(row.size());
            for (const auto& v : row) {
                if (!v.is_number_integer()) return std::nullopt;
                const std::int64_t x = v.get<std::int64_t>();
                if (x != 1 && x != -1) return std::nullopt;
                values.push_back(static_cast<std::int8_t>(x));
            }
            d.attributes.values.push_back(std::move(values));
        }
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }

    const std::uint64_t memory = physical_memory_bytes();
    if (memory > 0 && pixel_bytes > memory) return std::nullopt;  // decoding again reports it
    try {
        d.pixels.resize(static_cast<std::size_t>(pixel_bytes));
    } catch (const std::bad_alloc&) {
        return std::nullopt;
    }
    if (!in.read(reinterpret_cast<char*>(d.pixels.data()), static_cast<std::streamsize>(d.pixels.size())))
        return std::nullopt;
    crc = static_cast<std::uint32_t>(crc32_z(crc, d.pixels.data(), d.pixels.size()));
    char stored[4];
    if (!in.read(stored, sizeof stored) || get_le<std::uint32_t>(stored) != crc) return std::nullopt;
    return d;
}

DecodedImages load_data_with_cache(const DataSpec& spec, const DecodeOptions& options, std::uint64_t seed,
                                   const std::string& dir, bool* reused) {
    if (reused) *reused = false;
    if (dir.empty()) return load_data(spec, options, seed);
    const std::string key = decoded_cache_key(spec, options, seed);
    const std::string path = decoded_cache_path(dir, key);
    if (auto cached = load_decoded_cache(path, key)) {
        if (reused) *reused = true;
        return std::move(*cached);
    }
    DecodedImages images = load_data(spec, options, seed);
    save_decoded_cache(path, images, key);
    return images;
}

} // namespace latentlab
