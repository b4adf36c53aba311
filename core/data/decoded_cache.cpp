// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/decoded_cache.h"

#include <cstring>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "common/binary_io.h"
#include "common/error.h"
#include "imaging/png_file.h"

namespace latentlab {
namespace fs = std::filesystem;
namespace {

constexpr char kMagic[8] = {'L', 'L', 'C', 'A', 'C', 'H', 'E', '1'};

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
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    constexpr std::size_t kFixed = sizeof kMagic + 8 + 4;
    if (bytes.size() < kFixed || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) return std::nullopt;
    const std::size_t body = bytes.size() - 4;
    if (crc32_of(bytes.data() + sizeof kMagic, body - sizeof kMagic) != get_le<std::uint32_t>(bytes.data() + body))
        return std::nullopt;
    const auto header_size = get_le<std::uint64_t>(bytes.data() + sizeof kMagic);
    if (header_size > body - sizeof kMagic - 8) return std::nullopt;
    try {
        const auto header = nlohmann::json::parse(bytes.substr(sizeof kMagic + 8, header_size));
        if (header.at("key").get<std::string>() != key) return std::nullopt;
        DecodedImages d;
        d.size = header.at("size").get<int>();
        d.channels = header.at("channels").get<int>();
        d.names = header.at("names").get<std::vector<std::string>>();
        for (const auto& s : header.at("skipped")) d.skipped.push_back({s.at(0).get<std::string>(), s.at(1).get<std::string>()});
        d.attributes.names = header.at("attribute_names").get<std::vector<std::string>>();
        d.attributes.values = header.at("attributes").get<std::vector<std::vector<std::int8_t>>>();
        const std::size_t pixels_at = sizeof kMagic + 8 + header_size;
        d.pixels.assign(bytes.begin() + static_cast<std::ptrdiff_t>(pixels_at), bytes.begin() + static_cast<std::ptrdiff_t>(body));
        if (d.image_bytes() == 0 || d.pixels.size() % d.image_bytes() != 0 || d.count() != d.names.size()) return std::nullopt;
        return d;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
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
