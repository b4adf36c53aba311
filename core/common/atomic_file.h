// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace latentlab {

// A file that appears under its name only when it is complete: it is written
// under a temporary name, flushed to disk, renamed into place and its folder
// flushed, so a crash or power cut leaves the old file or the new one, never
// half of one. Every failure throws latentlab::Error naming the final path
// and the reason, and removes the temporary file.
class AtomicFile {
public:
    // Creates `temp` (default: PATH.partial), emptied. With `continue_temp`
    // an existing `temp` is opened as it is, for a file that was filled in
    // place (a mapped decoded cache) and only needs finishing.
    explicit AtomicFile(std::string path, std::string temp = {}, bool continue_temp = false);
    ~AtomicFile();  // not committed: the temporary file is removed
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    void write_at(const void* data, std::size_t size, std::uint64_t offset);  // retried on EINTR
    void append(const void* data, std::size_t size);  // after the last byte appended
    void append(const std::string& bytes) { append(bytes.data(), bytes.size()); }
    void resize(std::uint64_t size);
    // fsync, close, rename into place, fsync of the folder.
    void commit();

private:
    [[noreturn]] void fail(const std::string& what);
    std::string path_, temp_;
    int fd_ = -1;
    std::uint64_t end_ = 0;
};

// Writes bytes to `path` as an AtomicFile. Throws latentlab::Error naming the path and the reason.
void write_file_atomically(const std::string& path, const std::string& bytes);

// Flushes the folder `dir` to disk after `path` was created or renamed in it,
// so that the new name survives a power cut. Throws latentlab::Error naming
// `path` and the reason; file systems that cannot sync a folder (EINVAL) pass.
void sync_folder(const std::string& dir, const std::string& path);

} // namespace latentlab
