// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/decoded_cache.h"

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <nlohmann/json.hpp>

#include "common/binary_io.h"
#include "common/error.h"
#include "common/file_lock.h"
#include "common/memory.h"
#include "data/decode_journal.h"
#include "common/atomic_file.h"

namespace latentlab {
namespace fs = std::filesystem;
namespace {

constexpr char kMagic[8] = {'L', 'L', 'C', 'A', 'C', 'H', 'E', '2'};
constexpr std::uint64_t kPixelOffset = kDecodedCachePixelOffset;
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
    if (spec.generated())
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

std::string decoding_path(const std::string& cache_path) { return cache_path + ".decoding"; }

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
    std::error_code ec;
    fs::create_directories(fs::path(path).parent_path(), ec);
    // Pixels a source decoded straight into this cache's file are finished in
    // place; any others are written out first.
    const std::string temp = decoding_path(path);
    const bool in_place = images.pixels.mapped() && images.pixels.file() == temp;
    AtomicFile file(path, temp, in_place);
    const std::uint64_t pixel_bytes = images.pixels.size();
    std::string prefix(kMagic, sizeof kMagic);
    put_le<std::uint64_t>(prefix, pixel_bytes);
    put_le<std::uint64_t>(prefix, text.size());
    if (!in_place) {
        constexpr std::size_t kChunk = std::size_t{16} << 20;
        for (std::size_t at = 0; at < pixel_bytes; at += kChunk)
            file.write_at(images.pixels.data() + at, std::min<std::size_t>(kChunk, pixel_bytes - at), kPixelOffset + at);
    }
    file.resize(kPixelOffset + pixel_bytes);
    file.write_at(text.data(), text.size(), kPixelOffset + pixel_bytes);
    std::uint32_t crc = crc32_of(prefix.data() + sizeof kMagic, prefix.size() - sizeof kMagic);
    crc = crc32_of_store(images.pixels, crc);
    crc = static_cast<std::uint32_t>(crc32_z(crc, reinterpret_cast<const Bytef*>(text.data()), text.size()));
    std::string trailer;
    put_le<std::uint32_t>(trailer, crc);
    file.write_at(trailer.data(), trailer.size(), kPixelOffset + pixel_bytes + text.size());
    file.write_at(prefix.data(), prefix.size(), 0);
    file.commit();
}

std::optional<DecodedImages> load_decoded_cache(const std::string& path, const std::string& key) {
    // Everything the header declares is checked against the file's real size
    // before anything is mapped; the checksum covers the pixels too, read in
    // chunks that leave resident memory as they are done.
    std::error_code ec;
    const std::uint64_t file_size = fs::file_size(path, ec);
    constexpr std::uint64_t kFixed = kPixelOffset + 4;
    if (ec || file_size < kFixed) return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    char start[sizeof kMagic + 16];
    if (!in.read(start, sizeof start) || std::memcmp(start, kMagic, sizeof kMagic) != 0) return std::nullopt;
    const auto pixel_bytes = get_le<std::uint64_t>(start + sizeof kMagic);
    const auto header_size = get_le<std::uint64_t>(start + sizeof kMagic + 8);
    if (pixel_bytes > file_size - kFixed || header_size != file_size - kFixed - pixel_bytes) return std::nullopt;
    std::string text(static_cast<std::size_t>(header_size), '\0');
    if (!in.seekg(static_cast<std::streamoff>(kPixelOffset + pixel_bytes)) ||
        !in.read(text.data(), static_cast<std::streamsize>(text.size())))
        return std::nullopt;
    char stored[4];
    if (!in.read(stored, sizeof stored)) return std::nullopt;
    in.close();

    DecodedImages d;
    try {
        const auto header = nlohmann::json::parse(text);
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

    try {
        d.pixels = PixelStore::map_file(path, kPixelOffset, pixel_bytes);
    } catch (const Error&) {
        return std::nullopt;
    }
    std::uint32_t crc = crc32_of(start + sizeof kMagic, 16);
    crc = crc32_of_store(d.pixels, crc);
    crc = static_cast<std::uint32_t>(crc32_z(crc, reinterpret_cast<const Bytef*>(text.data()), text.size()));
    if (get_le<std::uint32_t>(stored) != crc) return std::nullopt;
    return d;
}

namespace {

// The cache file's lock, held while it is decoded and saved: another window
// or `train` may want the same data in the same file at the same time. The
// wait polls, so that a cancel (a superseded scan, a closed window) ends it.
// The lock file goes with the lock.
FileLock lock_cache(const std::string& path, const DecodeOptions& options) {
    constexpr auto kPoll = std::chrono::milliseconds(100);
    for (;;) {
        if (std::optional<FileLock> lock = FileLock::try_lock(path + ".lock", FileLock::OnRelease::Remove))
            return std::move(*lock);
        throw_if_cancelled(options, path);
        std::this_thread::sleep_for(kPoll);
    }
}

} // namespace

DecodedImages load_data_with_cache(const DataSpec& spec, const DecodeOptions& options, std::uint64_t seed,
                                   const std::string& dir, bool* reused) {
    if (reused) *reused = false;
    if (dir.empty()) return load_data(spec, options, seed);
    const std::string key = decoded_cache_key(spec, options, seed);
    const std::string path = decoded_cache_path(dir, key);
    const auto reuse = [&](DecodedImages& cached) {
        if (reused) *reused = true;
        std::error_code ec;
        fs::last_write_time(path, fs::file_time_type::clock::now(), ec);  // recently used, for pruning
        return std::move(cached);
    };
    if (auto cached = load_decoded_cache(path, key)) return reuse(*cached);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw Error(dir + ": cannot create the cache folder (" + ec.message() + ")");
    const FileLock lock = lock_cache(path, options);
    // Whoever held the lock may have just saved these very images.
    if (auto cached = load_decoded_cache(path, key)) return reuse(*cached);
    DecodeOptions into_file = options;
    if (!spec.generated()) into_file.pixel_file = decoding_path(path);
    try {
        DecodedImages images = load_data(spec, into_file, seed);
        save_decoded_cache(path, images, key);
        return images;
    } catch (const Cancelled&) {
        throw;  // the partial file and its journal stay: the next decode of these files resumes
    } catch (...) {
        fs::remove(decoding_path(path), ec);  // a decode that failed starts again next time
        remove_decode_journal(decoding_path(path));
        throw;
    }
}

std::size_t prune_decoded_caches(const std::string& dir, std::size_t keep) {
    std::error_code ec;
    std::vector<std::pair<fs::file_time_type, fs::path>> caches;
    std::size_t removed = 0;
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
        const fs::path& p = it->path();
        if (p.extension() == ".decoding" || (p.extension() == ".json" && p.stem().extension() == ".decoding")) {
            // Another process may be decoding into it right now: only an old one is abandoned.
            const auto age = fs::file_time_type::clock::now() - fs::last_write_time(p, ec);
            if (!ec && age > std::chrono::hours(1) && fs::remove(p, ec)) ++removed;
        } else if (p.extension() == ".llcache") {
            caches.emplace_back(fs::last_write_time(p, ec), p);
        } else if (p.extension() == ".lock" && p.stem().extension() == ".llcache" && !fs::exists(p.parent_path() / p.stem(), ec)) {
            // The lock of a cache that is gone (a crashed decode's), unless a decode holds
            // it: taken and let go at once, which removes it.
            FileLock::try_lock(p.string(), FileLock::OnRelease::Remove);
        }
    }
    if (caches.size() <= keep) return removed;
    std::sort(caches.begin(), caches.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t i = keep; i < caches.size(); ++i)
        if (fs::remove(caches[i].second, ec)) ++removed;
    return removed;
}

} // namespace latentlab
