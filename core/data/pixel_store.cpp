// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/pixel_store.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include "common/error.h"

namespace latentlab {

// One mmap of a file region. The mapping starts at the page boundary at or
// before the region; `bytes` points at the region itself.
struct PixelStore::Mapping {
    std::string path;
    void* base = MAP_FAILED;
    std::size_t base_length = 0;
    std::uint8_t* bytes = nullptr;
    std::size_t capacity = 0;
    bool writable = false;

    ~Mapping() {
        if (base != MAP_FAILED) munmap(base, base_length);
    }
};

namespace {

std::size_t page_size() {
    static const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    return page;
}

Error file_error(const std::string& path, const std::string& what) {
    return Error(path + ": " + what + ": " + std::strerror(errno));
}

// Closes a descriptor when it goes out of scope; the mapping outlives it.
struct Descriptor {
    int fd;
    ~Descriptor() {
        if (fd >= 0) ::close(fd);
    }
};

} // namespace

std::shared_ptr<PixelStore::Mapping> PixelStore::map(const std::string& path, int fd, std::uint64_t offset,
                                                     std::uint64_t length, bool writable) {
    auto m = std::make_shared<Mapping>();
    m->path = path;
    m->writable = writable;
    m->capacity = static_cast<std::size_t>(length);
    const std::uint64_t start = offset / page_size() * page_size();
    m->base_length = static_cast<std::size_t>(offset - start + length);
    if (m->base_length == 0) return m;  // nothing to map: an empty region
    m->base = ::mmap(nullptr, m->base_length, writable ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED, fd,
                     static_cast<off_t>(start));
    if (m->base == MAP_FAILED) throw file_error(path, "cannot map " + std::to_string(length) + " bytes");
    m->bytes = static_cast<std::uint8_t*>(m->base) + (offset - start);
    return m;
}

PixelStore PixelStore::map_file(const std::string& path, std::uint64_t offset, std::uint64_t length) {
    const Descriptor d{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (d.fd < 0) throw file_error(path, "cannot open");
    PixelStore store;
    store.mapping_ = map(path, d.fd, offset, length, false);
    store.mapped_ = store.mapping_->bytes;
    store.size_ = static_cast<std::size_t>(length);
    if (store.mapping_->bytes) ::madvise(store.mapping_->base, store.mapping_->base_length, MADV_RANDOM);
    return store;
}

PixelStore PixelStore::create_file(const std::string& path, std::uint64_t offset, std::uint64_t capacity) {
    const Descriptor d{::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)};
    if (d.fd < 0) throw file_error(path, "cannot create");
    // posix_fallocate reserves the blocks now, so a full disk is an error here
    // and not a SIGBUS while decoding into the mapping.
    const int err = ::posix_fallocate(d.fd, 0, static_cast<off_t>(offset + capacity));
    if (err != 0) {
        errno = err;
        throw file_error(path, "cannot reserve " + std::to_string(offset + capacity) + " bytes");
    }
    PixelStore store;
    store.mapping_ = map(path, d.fd, offset, capacity, true);
    store.mapped_ = store.mapping_->bytes;
    store.size_ = static_cast<std::size_t>(capacity);
    return store;
}

PixelStore PixelStore::open_file(const std::string& path, std::uint64_t offset, std::uint64_t capacity) {
    const Descriptor d{::open(path.c_str(), O_RDWR | O_CLOEXEC)};
    if (d.fd < 0) throw file_error(path, "cannot open");
    const off_t size = ::lseek(d.fd, 0, SEEK_END);
    if (size < 0 || static_cast<std::uint64_t>(size) < offset + capacity)
        throw Error(path + ": holds " + std::to_string(size) + " bytes, not the " + std::to_string(offset + capacity) +
                    " a resumed decode needs");
    PixelStore store;
    store.mapping_ = map(path, d.fd, offset, capacity, true);
    store.mapped_ = store.mapping_->bytes;
    store.size_ = static_cast<std::size_t>(capacity);
    return store;
}

std::uint8_t* PixelStore::data() {
    if (!mapping_) return memory_.data();
    if (!mapping_->writable) throw std::logic_error("pixels mapped read-only from " + mapping_->path);
    return mapping_->bytes;
}

const std::string& PixelStore::file() const {
    static const std::string none;
    return mapping_ ? mapping_->path : none;
}

void PixelStore::resize(std::size_t bytes) {
    if (!mapping_) return memory_.resize(bytes);
    if (bytes > mapping_->capacity)
        throw std::length_error("pixels mapped from " + mapping_->path + " cannot grow past their file");
    size_ = bytes;
}

void PixelStore::assign(std::size_t bytes, std::uint8_t value) {
    resize(bytes);
    std::fill(begin(), end(), value);
}

void PixelStore::reserve(std::size_t bytes) {
    if (!mapping_) memory_.reserve(bytes);
}

void PixelStore::shrink_to_fit() {
    if (!mapping_) memory_.shrink_to_fit();
}

void PixelStore::release(std::size_t from, std::size_t bytes) const {
    if (!mapping_ || !mapping_->bytes || bytes == 0) return;
    // Every page the range touches, a neighbour's share included: for a file
    // mapping this loses nothing (written bytes stay in the file's pages; the
    // next read faults them back in from the page cache).
    const auto first = reinterpret_cast<std::uintptr_t>(mapping_->bytes + from);
    const std::uintptr_t start = first / page_size() * page_size();
    const std::uintptr_t stop = (first + bytes + page_size() - 1) / page_size() * page_size();
    if (mapping_->writable) ::msync(reinterpret_cast<void*>(start), stop - start, MS_ASYNC);
    ::madvise(reinterpret_cast<void*>(start), stop - start, MADV_DONTNEED);
}

void PixelStore::flush() const {
    if (!mapping_ || !mapping_->writable || !mapping_->bytes) return;
    if (::msync(mapping_->base, mapping_->base_length, MS_SYNC) != 0) throw file_error(mapping_->path, "cannot write");
}

bool operator==(const PixelStore& a, const PixelStore& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

std::uint32_t crc32_of_store(const PixelStore& store, std::uint32_t crc) {
    constexpr std::size_t kChunk = std::size_t{8} << 20;
    uLong value = crc;
    for (std::size_t at = 0; at < store.size(); at += kChunk) {
        const std::size_t n = std::min(kChunk, store.size() - at);
        value = crc32_z(value, store.data() + at, n);
        store.release(at, n);
    }
    return static_cast<std::uint32_t>(value);
}

} // namespace latentlab
