// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/image_folder.h"

#include "common/binary_io.h"
#include "common/error.h"
#include "common/memory.h"
#include "data/decode_journal.h"
#include "imaging/image_decode.h"

#include <opencv2/core/utils/logger.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <set>
#include <thread>
#include <vector>

namespace latentlab {
namespace fs = std::filesystem;

namespace {

// One entry found under the folder: an image candidate (slot >= 0) or a file
// passed over (reason set, slot -1).
struct Item {
    fs::path rel;
    long slot = -1;
    std::string reason;
};

bool is_hidden(const fs::path& name) {
    const std::string s = name.string();
    return !s.empty() && s[0] == '.';
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool is_image_extension(const std::string& ext) {
    static const char* const known[] = {".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff"};
    const std::string e = lower(ext);
    return std::any_of(std::begin(known), std::end(known), [&](const char* k) { return e == k; });
}

// Walks the tree below root. Folder symlinks are followed, but every real
// folder (by canonical path) is entered only once.
void walk(const fs::path& root, std::vector<Item>& items, std::size_t& file_count, const DecodeOptions& options) {
    std::set<fs::path> visited;
    std::vector<fs::path> pending{fs::path()};
    while (!pending.empty()) {
        const fs::path rel = pending.back();
        pending.pop_back();
        const fs::path abs = rel.empty() ? root : root / rel;
        std::error_code ec;
        const fs::path real = fs::canonical(abs, ec);
        if (!ec && !visited.insert(real).second) continue;  // already seen: a link loop or a second link
        fs::directory_iterator it(abs, ec), end;
        if (ec) {
            items.push_back({rel.empty() ? fs::path(".") : rel, -1, "cannot read folder (" + ec.message() + ")"});
            continue;
        }
        std::vector<fs::path> subdirs;
        for (; it != end; it.increment(ec)) {
            if (ec) break;
            if (file_count % 1024 == 0) throw_if_cancelled(options, root.string());
            const fs::path name = it->path().filename();
            if (is_hidden(name)) continue;
            const fs::path child = rel / name;
            std::error_code sec;
            const fs::file_status st = it->status(sec);  // follows symlinks
            if (fs::is_directory(st)) {
                subdirs.push_back(child);
                continue;
            }
            ++file_count;
            if (!fs::exists(st)) {
                items.push_back({child, -1, "broken symbolic link"});
            } else if (!fs::is_regular_file(st)) {
                items.push_back({child, -1, "not a regular file"});
            } else if (!is_image_extension(name.extension().string())) {
                const std::string ext = name.extension().string();
                items.push_back({child, -1, "not an image file (" + (ext.empty() ? std::string("no extension") : ext) + ")"});
            } else {
                items.push_back({child, 0, {}});
            }
        }
        if (ec) items.push_back({rel.empty() ? fs::path(".") : rel, -1, "cannot read folder (" + ec.message() + ")"});
        // Visit sub-folders in sorted order (the stack pops the last first), so
        // that which path reaches a folder linked twice does not depend on the
        // file system's listing order.
        std::sort(subdirs.rbegin(), subdirs.rend());
        pending.insert(pending.end(), subdirs.begin(), subdirs.end());
    }
}

// Reads a whole file into bytes (reused between files). Returns a reason on failure.
std::string read_file(const fs::path& path, std::vector<unsigned char>& bytes) {
    errno = 0;
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return std::string("cannot read (") + std::strerror(errno ? errno : EIO) + ")";
    bytes.clear();
    unsigned char chunk[1 << 16];
    std::size_t n;
    while ((n = std::fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (bytes.size() + n > (std::size_t(1) << 30)) {
            std::fclose(f);
            return "too large to decode (over 1 GiB)";
        }
        bytes.insert(bytes.end(), chunk, chunk + n);
    }
    const bool failed = std::ferror(f) != 0;
    const int err = errno;
    std::fclose(f);
    if (failed) return std::string("cannot read (") + std::strerror(err ? err : EIO) + ")";
    if (bytes.empty()) return "empty file (0 bytes)";
    return {};
}

} // namespace

std::string decode_image_file(const std::string& path, std::vector<unsigned char>& bytes, unsigned char* dst,
                              int size, int channels) {
    const std::string reason = read_file(path, bytes);
    if (!reason.empty()) return reason;
    return decode_square_image(bytes.data(), bytes.size(), size, channels, dst);
}

namespace {

// Every entry below dir, sorted by path; `file_count` counts the files seen.
// Throws latentlab::Error when dir is missing or not a folder.
std::vector<Item> sorted_entries(const std::string& dir, const DecodeOptions& options, std::size_t& file_count) {
    std::error_code ec;
    const fs::file_status st = fs::status(dir, ec);
    if (!fs::exists(st)) throw Error(dir + ": folder not found");
    if (!fs::is_directory(st)) throw Error(dir + ": not a folder");
    std::vector<Item> items;
    walk(fs::path(dir), items, file_count, options);
    std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.rel < b.rel; });
    return items;
}

} // namespace

std::vector<std::string> list_image_files(const std::string& dir) {
    std::size_t file_count = 0;
    const std::vector<Item> items = sorted_entries(dir, DecodeOptions{}, file_count);
    std::vector<std::string> out;
    for (const Item& i : items)
        if (i.slot >= 0) out.push_back(i.rel.string());
    return out;
}

DecodedImages decode_image_folder(const std::string& dir, const DecodeOptions& options) {
    if (options.size < 1 || options.size > 8192)
        throw Error(dir + ": invalid image size " + std::to_string(options.size) + " (must be 1..8192)");
    const int channels = options.channels == 0 ? 3 : options.channels;
    if (channels != 1 && channels != 3)
        throw Error(dir + ": invalid channel count " + std::to_string(options.channels) + " (must be 0, 1 or 3)");

    std::size_t file_count = 0;
    std::vector<Item> items = sorted_entries(dir, options, file_count);

    std::vector<std::size_t> candidates;  // indexes into items, in sorted order
    for (std::size_t i = 0; i < items.size(); ++i)
        if (items[i].slot >= 0) {
            items[i].slot = static_cast<long>(candidates.size());
            candidates.push_back(i);
        }

    DecodedImages out;
    out.size = options.size;
    out.channels = channels;
    const std::size_t bytes_per = out.image_bytes();
    std::uint64_t total = 0;
    if (!multiply_fits(candidates.size(), bytes_per, total)) total = UINT64_MAX;
    // Into memory, or straight into the decoded cache's file (then the disk
    // holds them, not RAM), resuming a decode of the same files that stopped.
    DecodeJournal journal;
    journal.candidates = candidates.size();
    journal.size = options.size;
    journal.channels = channels;
    {
        std::string names;
        for (std::size_t i : candidates) names += items[i].rel.generic_string() + "\n";
        journal.names_crc = crc32_of(names.data(), names.size());
    }
    const bool to_file = !options.pixel_file.empty();
    if (!to_file) {
        require_memory(total, dir + ": " + std::to_string(candidates.size()) + " images at " +
                                  std::to_string(options.size) + " x " + std::to_string(options.size) + " x " +
                                  std::to_string(channels));
    } else if (const auto stopped = read_decode_journal(options.pixel_file);
               stopped && stopped->candidates == journal.candidates && stopped->names_crc == journal.names_crc &&
               stopped->size == journal.size && stopped->channels == journal.channels) {
        out.pixels = PixelStore::open_file(options.pixel_file, kDecodedCachePixelOffset, total);
        journal.done_below = stopped->done_below;
        journal.failed = stopped->failed;
        for (const auto& [slot, reason] : journal.failed) items[candidates[slot]].reason = reason;
    } else {
        remove_decode_journal(options.pixel_file);
        out.pixels = PixelStore::create_file(options.pixel_file, kDecodedCachePixelOffset, total);
    }
    try {
        out.pixels.resize(candidates.size() * bytes_per);
    } catch (const std::bad_alloc&) {
        throw Error(dir + ": not enough memory for " + std::to_string(candidates.size()) + " images of " +
                    std::to_string(options.size) + " x " + std::to_string(options.size));
    }

    // Decode in parallel; slot k of the buffer belongs to candidates[k].
    using namespace cv::utils::logging;
    const LogLevel old_level = setLogLevel(LOG_LEVEL_SILENT);
    const auto start = static_cast<std::size_t>(journal.done_below);
    std::atomic<std::size_t> next{start};
    std::atomic<std::size_t> finished{start};
    // done[k]: slot k is decoded (or failed); the journal records the first
    // slot not yet done, and the failures below it.
    std::unique_ptr<std::atomic<bool>[]> done(new std::atomic<bool>[candidates.size()]);
    for (std::size_t k = 0; k < candidates.size(); ++k) done[k].store(k < start, std::memory_order_relaxed);
    const auto record = [&] {
        std::size_t k = static_cast<std::size_t>(journal.done_below);
        for (; k < candidates.size() && done[k].load(std::memory_order_acquire); ++k)
            if (!items[candidates[k]].reason.empty()) journal.failed.emplace_back(k, items[candidates[k]].reason);
        journal.done_below = k;
        // The pixels the journal vouches for reach the disk before it does: after a
        // power cut the next decode resumes from images that are really there.
        out.pixels.flush();
        write_decode_journal(options.pixel_file, journal);
    };
    if (start > 0 && options.progress) options.progress(start, candidates.size());  // where it resumes
    constexpr std::size_t kProgressEvery = 1000;
    auto work = [&](bool reports) {
        std::vector<unsigned char> bytes;
        std::size_t reported = start;
        for (std::size_t k; !options.cancelled() && (k = next.fetch_add(1)) < candidates.size();) {
            Item& item = items[candidates[k]];
            try {
                item.reason = decode_image_file((fs::path(dir) / item.rel).string(), bytes,
                                                out.pixels.data() + k * bytes_per, options.size, channels);
            } catch (const std::bad_alloc&) {
                item.reason = "out of memory while decoding";
            } catch (const std::exception&) {
                item.reason = "not a decodable image";
            }
            if (bytes.capacity() > (std::size_t(64) << 20)) std::vector<unsigned char>().swap(bytes);
            // Decoded into the cache's file: its pages go to disk, not to resident memory.
            out.pixels.release(k * bytes_per, bytes_per);
            done[k].store(true, std::memory_order_release);
            const std::size_t count = finished.fetch_add(1) + 1;
            if (reports && count >= reported + kProgressEvery) {
                if (to_file) record();
                if (options.progress) options.progress(count, candidates.size());
                reported = count;
            }
        }
    };
    const std::size_t workers = std::clamp<std::size_t>(static_cast<std::size_t>(std::max(options.workers, 1)), 1,
                                                        std::max<std::size_t>(candidates.size(), 1));
    std::vector<std::thread> threads;
    for (std::size_t t = 1; t < workers; ++t) {
        try {
            threads.emplace_back(work, false);
        } catch (const std::system_error&) {
            break;  // fewer threads than asked for; the work still gets done
        }
    }
    work(true);
    for (std::thread& t : threads) t.join();
    setLogLevel(old_level);
    if (options.cancelled()) {
        if (to_file) record();  // the next decode of these files resumes here
        throw_if_cancelled(options, dir);
    }
    if (options.progress) options.progress(candidates.size(), candidates.size());
    // Every slot is done; from here the pixels move, so the journal goes first.
    if (to_file) remove_decode_journal(options.pixel_file);

    // Close the gaps left by failed files, keeping sorted order.
    std::size_t kept = 0;
    for (std::size_t k = 0; k < candidates.size(); ++k) {
        const Item& item = items[candidates[k]];
        if (!item.reason.empty()) continue;
        if (kept != k)
            std::memmove(out.pixels.data() + kept * bytes_per, out.pixels.data() + k * bytes_per, bytes_per);
        out.names.push_back(item.rel.generic_string());
        ++kept;
    }
    out.pixels.resize(kept * bytes_per);
    if (kept < candidates.size() / 10 * 9) out.pixels.shrink_to_fit();
    for (const Item& item : items)
        if (!item.reason.empty()) out.skipped.push_back({item.rel.generic_string(), item.reason});

    if (kept == 0) {
        std::string msg = dir + ": no usable image among " + std::to_string(file_count) + " files";
        if (!out.skipped.empty()) msg += " (e.g. " + out.skipped.front().path + ": " + out.skipped.front().reason + ")";
        throw Error(msg);
    }
    return out;
}

} // namespace latentlab
