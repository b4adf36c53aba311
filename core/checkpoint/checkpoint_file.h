// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checkpoint/safetensors.h"

namespace torch::nn { class Module; }
namespace torch::optim { class Adam; }

namespace latentlab {

// A LatentLab checkpoint file:
//
//   offset 0   8 bytes   magic "LLCKPT\r\n"
//          8   4 bytes   format version (little endian)
//         12   8 bytes   payload size in bytes
//         20   4 bytes   CRC-32 of the payload
//         24   ...       payload: a safetensors file (see safetensors.h) whose
//                        tensors are the modules' parameters and buffers
//                        ("generator/main.0.weight"), the optimizers' state
//                        ("optimizer_g/0.3/exp_avg") and loose tensors (RNG
//                        states, fixed noise); its metadata "latentlab" is the
//                        run's JSON, "optimizers" the Adam settings per group.
//
// So a checkpoint is data only: reading one never runs code from it, and
// Python reads it with `safetensors.torch.load(open(f, "rb").read()[24:])`.
// Format 1 held a TorchScript archive (a program, not data) and is refused.
inline constexpr char kCheckpointMagic[8] = {'L', 'L', 'C', 'K', 'P', 'T', '\r', '\n'};
inline constexpr std::uint32_t kCheckpointFormat = 2;
inline constexpr std::size_t kCheckpointHeaderSize = 24;
inline constexpr const char* kCheckpointExtension = ".llck";

// Keys of the k-th G/D pair in a checkpoint start with this: "" for the
// first pair (as in single-pair runs), "pairK/" for the others.
inline std::string pair_key_prefix(int k) { return k == 0 ? "" : "pair" + std::to_string(k) + "/"; }

// A module's parameters and then its buffers, by their dotted names
// ("main.0.weight", "main.1.running_mean"): what a checkpoint or a PyTorch
// state_dict stores of it.
NamedTensors module_state(const torch::nn::Module& module);

class CheckpointWriter {
public:
    CheckpointWriter();
    void set_meta(const nlohmann::json& meta) { meta_ = meta; }
    void add_module(const std::string& key, const torch::nn::Module& module);
    void add_optimizer(const std::string& key, const torch::optim::Adam& optimizer);
    void add_tensor(const std::string& key, const at::Tensor& tensor);
    // The complete file contents: header, checksum and payload.
    std::string bytes() const;

private:
    nlohmann::json meta_;
    nlohmann::json optimizers_ = nlohmann::json::object();
    NamedTensors tensors_;
};

class CheckpointReader {
public:
    // Reads and verifies `path`. Throws latentlab::Error with a one-line
    // message naming the file and the reason (missing, not a checkpoint,
    // truncated, corrupt, written by an older or newer LatentLab, a tensor
    // table that does not add up).
    explicit CheckpointReader(const std::string& path);

    const std::string& path() const { return path_; }
    const nlohmann::json& meta() const { return meta_; }
    // Bytes of tensor data in the file: a bound on the model it can hold.
    std::size_t tensor_bytes() const { return view_->data_bytes(); }
    // Throws unless the file's tensors can hold `weights` float32 values of
    // `what` (e.g. "generator"): checked before a model of the config's size
    // is built, so that a few bytes of metadata cannot make LatentLab
    // allocate gigabytes.
    void require_weights(std::uint64_t weights, const std::string& what) const;
    // Throws for a checkpoint made by `import` (no optimizer or RNG state).
    void require_training_state() const;
    // Copies the tensors under `key` into the module's parameters and
    // buffers, on whatever device the module is. Every name, dtype and shape
    // is checked against the module first; a missing, extra or misshapen
    // tensor is an error naming it, and the module is then left unchanged.
    void load_module(const std::string& key, torch::nn::Module& module) const;
    // Restores the Adam settings and per-parameter state saved under `key`,
    // with the state placed on each parameter's device.
    void load_optimizer(const std::string& key, torch::optim::Adam& optimizer) const;
    // A loose tensor on the CPU; `dtype` and `shape` (when given) must match.
    at::Tensor tensor(const std::string& key, std::optional<c10::ScalarType> dtype = std::nullopt,
                      std::optional<std::vector<std::int64_t>> shape = std::nullopt) const;

private:
    [[noreturn]] void fail(const std::string& reason) const;

    std::string path_;
    std::string bytes_;
    std::unique_ptr<SafetensorsView> view_;
    nlohmann::json meta_;
    nlohmann::json optimizers_;
};

} // namespace latentlab
