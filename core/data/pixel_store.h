// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace latentlab {

// The bytes of a DecodedImages: a buffer in memory, or a region of a file
// mapped by the OS (a decoded cache), so that a dataset larger than memory
// is paged in and out as training reads it instead of being held.
//
// A mapped store is read-only, except while a source decodes into a file
// made by create_file(); copies of a mapped store share the mapping.
class PixelStore {
public:
    PixelStore() = default;

    // Maps [offset, offset + length) of `path` read-only. Throws latentlab::Error
    // naming the file when it cannot be opened or mapped.
    static PixelStore map_file(const std::string& path, std::uint64_t offset, std::uint64_t length);
    // Creates `path` (replacing it) with room for `capacity` bytes at `offset`
    // and maps that region writable: a source decodes straight into the file.
    // Throws latentlab::Error naming the file, e.g. when the disk is full.
    static PixelStore create_file(const std::string& path, std::uint64_t offset, std::uint64_t capacity);
    // The same on a file create_file() made before (a decode resumed): its
    // bytes are kept. Throws latentlab::Error when it is missing or smaller.
    static PixelStore open_file(const std::string& path, std::uint64_t offset, std::uint64_t capacity);

    const std::uint8_t* data() const { return mapping_ ? mapped_ : memory_.data(); }
    std::uint8_t* data();  // throws std::logic_error on a read-only mapping
    std::size_t size() const { return mapping_ ? size_ : memory_.size(); }
    bool empty() const { return size() == 0; }
    bool mapped() const { return mapping_ != nullptr; }
    // The file behind a mapped store; empty in memory.
    const std::string& file() const;

    // In memory as std::vector's. A mapped store only shrinks (the skipped
    // images of a decode are dropped at the end); growing it past what
    // create_file() made room for throws std::length_error.
    void resize(std::size_t bytes);
    void assign(std::size_t bytes, std::uint8_t value);
    void reserve(std::size_t bytes);
    void shrink_to_fit();

    std::uint8_t operator[](std::size_t i) const { return data()[i]; }
    const std::uint8_t* begin() const { return data(); }
    const std::uint8_t* end() const { return data() + size(); }
    std::uint8_t* begin() { return data(); }
    std::uint8_t* end() { return data() + size(); }

    // Tells the OS that the process is done with the pages [from, from + bytes)
    // touches, for now: they leave its resident memory and stay in the file
    // (and the OS's page cache). Nothing for a store in memory.
    void release(std::size_t from, std::size_t bytes) const;
    // Writes a writable mapping's bytes to its file (msync); throws latentlab::Error.
    void flush() const;

private:
    struct Mapping;
    static std::shared_ptr<Mapping> map(const std::string& path, int fd, std::uint64_t offset, std::uint64_t length,
                                        bool writable);
    std::vector<std::uint8_t> memory_;
    std::shared_ptr<Mapping> mapping_;
    std::uint8_t* mapped_ = nullptr;  // mapping_'s region
    std::size_t size_ = 0;
};

// The same bytes, wherever they live.
bool operator==(const PixelStore& a, const PixelStore& b);
inline bool operator!=(const PixelStore& a, const PixelStore& b) { return !(a == b); }

// CRC-32 (zlib's) of the store's bytes, continuing from `crc`, read in chunks
// that are released as they are done: checking a mapped store of many
// gigabytes does not make it resident.
std::uint32_t crc32_of_store(const PixelStore& store, std::uint32_t crc);

} // namespace latentlab
