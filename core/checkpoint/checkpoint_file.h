// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

namespace torch::nn { class Module; }
namespace torch::optim { class Optimizer; }

namespace latentlab {

// A LatentLab checkpoint file:
//
//   offset 0   8 bytes   magic "LLCKPT\r\n"
//          8   4 bytes   format version (little endian)
//         12   8 bytes   payload size in bytes
//         20   4 bytes   CRC-32 of the payload
//         24   ...       payload: a LibTorch archive (zip) holding tensors,
//                        module and optimizer states and a JSON string "meta"
//
// The header and the checksum are verified before any byte reaches LibTorch's
// archive reader, which can crash on corrupt zips.
inline constexpr char kCheckpointMagic[8] = {'L', 'L', 'C', 'K', 'P', 'T', '\r', '\n'};
inline constexpr std::uint32_t kCheckpointFormat = 1;
inline constexpr const char* kCheckpointExtension = ".llck";

// Keys of the k-th G/D pair in a checkpoint start with this: "" for the
// first pair (as in single-pair runs), "pairK/" for the others.
inline std::string pair_key_prefix(int k) { return k == 0 ? "" : "pair" + std::to_string(k) + "/"; }

class CheckpointWriter {
public:
    CheckpointWriter();
    void set_meta(const nlohmann::json& meta) { meta_ = meta; }
    void add_module(const std::string& key, const torch::nn::Module& module);
    void add_optimizer(const std::string& key, const torch::optim::Optimizer& optimizer);
    void add_tensor(const std::string& key, const at::Tensor& tensor);
    // The complete file contents: header, checksum and payload.
    std::string bytes();

private:
    nlohmann::json meta_;
    torch::serialize::OutputArchive archive_;
};

class CheckpointReader {
public:
    // Reads and verifies `path`. Throws latentlab::Error with a one-line
    // message naming the file and the reason (missing, not a checkpoint,
    // truncated, corrupt, written by a newer LatentLab, unreadable archive).
    explicit CheckpointReader(const std::string& path);

    const std::string& path() const { return path_; }
    const nlohmann::json& meta() const { return meta_; }
    void load_module(const std::string& key, torch::nn::Module& module);
    void load_optimizer(const std::string& key, torch::optim::Optimizer& optimizer);
    at::Tensor tensor(const std::string& key);

private:
    [[noreturn]] void fail(const std::string& reason) const;

    std::string path_;
    nlohmann::json meta_;
    torch::serialize::InputArchive archive_;
};

} // namespace latentlab
