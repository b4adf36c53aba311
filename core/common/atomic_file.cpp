// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/atomic_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <unistd.h>

#include "common/error.h"

namespace latentlab {

AtomicFile::AtomicFile(std::string path, std::string temp, bool continue_temp)
    : path_(std::move(path)), temp_(temp.empty() ? path_ + ".partial" : std::move(temp)) {
    const int flags = continue_temp ? O_RDWR | O_CLOEXEC : O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC;
    fd_ = ::open(temp_.c_str(), flags, 0644);
    if (fd_ < 0) fail(continue_temp ? "open the partly written file " + temp_ : "create the file");
}

AtomicFile::~AtomicFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!temp_.empty()) ::unlink(temp_.c_str());
}

void AtomicFile::fail(const std::string& what) {
    const std::string reason = std::strerror(errno);  // before close() may change errno
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    ::unlink(temp_.c_str());
    temp_.clear();
    throw Error(path_ + ": cannot " + what + " (" + reason + ")");
}

void AtomicFile::write_at(const void* data, std::size_t size, std::uint64_t offset) {
    const auto* bytes = static_cast<const char*>(data);
    while (size > 0) {
        const ssize_t done = ::pwrite(fd_, bytes, size, static_cast<off_t>(offset));
        if (done < 0 && errno == EINTR) continue;
        if (done <= 0) fail("write the file");
        bytes += done;
        size -= static_cast<std::size_t>(done);
        offset += static_cast<std::uint64_t>(done);
    }
}

void AtomicFile::append(const void* data, std::size_t size) {
    write_at(data, size, end_);
    end_ += size;
}

void AtomicFile::resize(std::uint64_t size) {
    if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) fail("set the file's size");
}

void AtomicFile::commit() {
    if (::fsync(fd_) != 0) fail("flush the file to disk");
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail("close the file");
    if (::rename(temp_.c_str(), path_.c_str()) != 0) fail("move the file into place");
    temp_.clear();  // it is the file now
    const std::filesystem::path folder = std::filesystem::path(path_).parent_path();
    sync_folder(folder.empty() ? "." : folder.string(), path_);
}

void write_file_atomically(const std::string& path, const std::string& bytes) {
    AtomicFile file(path);
    file.append(bytes);
    file.commit();
}

void sync_folder(const std::string& dir, const std::string& path) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) throw Error(path + ": cannot open its folder to flush it to disk (" + std::strerror(errno) + ")");
    if (::fsync(fd) != 0 && errno != EINVAL) {
        const std::string reason = std::strerror(errno);
        ::close(fd);
        throw Error(path + ": cannot flush its folder to disk (" + reason + ")");
    }
    if (::close(fd) != 0) throw Error(path + ": cannot close its folder (" + std::strerror(errno) + ")");
}

} // namespace latentlab
