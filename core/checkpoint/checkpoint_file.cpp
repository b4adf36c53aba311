// SPDX-License-Identifier: GPL-3.0-or-later
#include "checkpoint/checkpoint_file.h"

#include <cstring>
#include <fstream>
#include <sstream>

#include <torch/nn/module.h>
#include <torch/optim/optimizer.h>

#include "common/binary_io.h"
#include "common/error.h"

namespace latentlab {
namespace {

constexpr std::size_t kHeaderSize = 24;
constexpr const char* kMetaKey = "meta";

// LibTorch's messages run over several lines with a C++ backtrace; keep the first.
std::string first_line(const std::string& text) {
    const auto end = text.find('\n');
    return end == std::string::npos ? text : text.substr(0, end);
}

} // namespace

CheckpointWriter::CheckpointWriter() = default;

void CheckpointWriter::add_module(const std::string& key, const torch::nn::Module& module) {
    torch::serialize::OutputArchive sub(archive_.compilation_unit());
    module.save(sub);
    archive_.write(key, sub);
}

void CheckpointWriter::add_optimizer(const std::string& key, const torch::optim::Optimizer& optimizer) {
    torch::serialize::OutputArchive sub(archive_.compilation_unit());
    optimizer.save(sub);
    archive_.write(key, sub);
}

void CheckpointWriter::add_tensor(const std::string& key, const at::Tensor& tensor) {
    archive_.write(key, tensor.detach().cpu().contiguous());
}

std::string CheckpointWriter::bytes() {
    archive_.write(kMetaKey, c10::IValue(meta_.dump()));
    std::ostringstream payload_stream;
    archive_.save_to(payload_stream);
    const std::string payload = payload_stream.str();

    std::string out(kCheckpointMagic, sizeof kCheckpointMagic);
    put_le<std::uint32_t>(out, kCheckpointFormat);
    put_le<std::uint64_t>(out, payload.size());
    put_le<std::uint32_t>(out, crc32_of(payload.data(), payload.size()));
    out += payload;
    return out;
}

void CheckpointReader::fail(const std::string& reason) const { throw Error(path_ + ": " + reason); }

CheckpointReader::CheckpointReader(const std::string& path) : path_(path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(std::string("cannot open the file (") + std::strerror(errno) + ")");
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) fail("cannot read the file");

    if (bytes.size() < sizeof kCheckpointMagic ||
        std::memcmp(bytes.data(), kCheckpointMagic, sizeof kCheckpointMagic) != 0)
        fail(bytes.empty() ? "not a LatentLab checkpoint (the file is empty)" : "not a LatentLab checkpoint (wrong signature)");
    if (bytes.size() < kHeaderSize) fail("truncated checkpoint (the header is incomplete)");
    const auto format = get_le<std::uint32_t>(bytes.data() + 8);
    if (format > kCheckpointFormat)
        fail("checkpoint format " + std::to_string(format) + " is newer than this LatentLab reads (" +
             std::to_string(kCheckpointFormat) + ")");
    const auto payload_size = get_le<std::uint64_t>(bytes.data() + 12);
    const auto checksum = get_le<std::uint32_t>(bytes.data() + 20);
    const std::size_t have = bytes.size() - kHeaderSize;
    if (have < payload_size)
        fail("truncated checkpoint (" + std::to_string(have) + " of " + std::to_string(payload_size) + " payload bytes)");
    if (have > payload_size) fail("corrupt checkpoint (" + std::to_string(have - payload_size) + " unexpected bytes at the end)");
    if (crc32_of(bytes.data() + kHeaderSize, payload_size) != checksum) fail("corrupt checkpoint (checksum mismatch)");

    try {
        archive_.load_from(bytes.data() + kHeaderSize, payload_size);
        c10::IValue meta;
        if (!archive_.try_read(kMetaKey, meta) || !meta.isString()) fail("checkpoint has no metadata");
        meta_ = nlohmann::json::parse(meta.toStringRef());
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        fail("unreadable checkpoint archive (" + first_line(e.what()) + ")");
    }
}

void CheckpointReader::load_module(const std::string& key, torch::nn::Module& module) {
    try {
        torch::serialize::InputArchive sub;
        if (!archive_.try_read(key, sub)) fail("checkpoint holds no '" + key + "'");
        module.load(sub);
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        fail("'" + key + "' does not fit the model (" + first_line(e.what()) + ")");
    }
}

void CheckpointReader::load_optimizer(const std::string& key, torch::optim::Optimizer& optimizer) {
    try {
        torch::serialize::InputArchive sub;
        if (!archive_.try_read(key, sub)) fail("checkpoint holds no '" + key + "'");
        optimizer.load(sub);
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        fail("'" + key + "' does not fit the optimizer (" + first_line(e.what()) + ")");
    }
}

at::Tensor CheckpointReader::tensor(const std::string& key) {
    at::Tensor t;
    try {
        if (!archive_.try_read(key, t)) fail("checkpoint holds no '" + key + "'");
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        fail("cannot read '" + key + "' (" + first_line(e.what()) + ")");
    }
    return t;
}

} // namespace latentlab
