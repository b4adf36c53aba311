// SPDX-License-Identifier: GPL-3.0-or-later
#include "checkpoint/checkpoint_file.h"

#include <cstring>
#include <filesystem>
#include <fstream>

#include <ATen/ops/empty_like.h>
#include <ATen/ops/scalar_tensor.h>
#include <torch/nn/module.h>
#include <torch/optim/adam.h>

#include "common/binary_io.h"
#include "common/error.h"
#include "common/memory.h"

namespace latentlab {
namespace {

constexpr const char* kMetaKey = "latentlab";
constexpr const char* kOptimizersKey = "optimizers";

std::string param_key(const std::string& key, std::size_t group, std::size_t index, const char* field) {
    return key + "/" + std::to_string(group) + "." + std::to_string(index) + "/" + field;
}

} // namespace

NamedTensors module_state(const torch::nn::Module& module) {
    NamedTensors state;
    for (const auto& p : module.named_parameters()) state.emplace_back(p.key(), p.value());
    for (const auto& b : module.named_buffers()) state.emplace_back(b.key(), b.value());
    return state;
}

CheckpointWriter::CheckpointWriter() = default;

void CheckpointWriter::add_module(const std::string& key, const torch::nn::Module& module) {
    for (const auto& [name, tensor] : module_state(module)) tensors_.emplace_back(key + "/" + name, tensor);
}

void CheckpointWriter::add_optimizer(const std::string& key, const torch::optim::Adam& optimizer) {
    nlohmann::json groups = nlohmann::json::array();
    const auto& param_groups = optimizer.param_groups();
    for (std::size_t g = 0; g < param_groups.size(); ++g) {
        const auto& o = static_cast<const torch::optim::AdamOptions&>(param_groups[g].options());
        groups.push_back({{"lr", o.lr()},
                          {"betas", {std::get<0>(o.betas()), std::get<1>(o.betas())}},
                          {"eps", o.eps()},
                          {"weight_decay", o.weight_decay()},
                          {"amsgrad", o.amsgrad()},
                          {"params", param_groups[g].params().size()}});
        const auto& params = param_groups[g].params();
        for (std::size_t i = 0; i < params.size(); ++i) {
            const auto it = optimizer.state().find(params[i].unsafeGetTensorImpl());
            if (it == optimizer.state().end()) continue;
            const auto& s = static_cast<const torch::optim::AdamParamState&>(*it->second);
            tensors_.emplace_back(param_key(key, g, i, "step"), at::scalar_tensor(s.step(), at::kLong));
            tensors_.emplace_back(param_key(key, g, i, "exp_avg"), s.exp_avg());
            tensors_.emplace_back(param_key(key, g, i, "exp_avg_sq"), s.exp_avg_sq());
            if (s.max_exp_avg_sq().defined())
                tensors_.emplace_back(param_key(key, g, i, "max_exp_avg_sq"), s.max_exp_avg_sq());
        }
    }
    optimizers_[key] = groups;
}

void CheckpointWriter::add_tensor(const std::string& key, const at::Tensor& tensor) { tensors_.emplace_back(key, tensor); }

std::string CheckpointWriter::bytes() const {
    const std::string payload =
        encode_safetensors(tensors_, {{kMetaKey, meta_.dump()}, {kOptimizersKey, optimizers_.dump()}});
    std::string out(kCheckpointMagic, sizeof kCheckpointMagic);
    put_le<std::uint32_t>(out, kCheckpointFormat);
    put_le<std::uint64_t>(out, payload.size());
    put_le<std::uint32_t>(out, crc32_of(payload.data(), payload.size()));
    out += payload;
    return out;
}

void CheckpointReader::fail(const std::string& reason) const { throw Error(path_ + ": " + reason); }

CheckpointReader::CheckpointReader(const std::string& path) : path_(path) {
    std::error_code ec;
    const auto file_size = std::filesystem::file_size(path, ec);
    if (ec) fail("cannot open the file (" + ec.message() + ")");
    if (physical_memory_bytes() != 0 && file_size > physical_memory_bytes())
        fail("the file is " + format_bytes(file_size) + ", more than this machine's memory; it is not a checkpoint LatentLab wrote here");
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(std::string("cannot open the file (") + std::strerror(errno) + ")");
    bytes_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (in.bad()) fail("cannot read the file");

    if (bytes_.size() < sizeof kCheckpointMagic ||
        std::memcmp(bytes_.data(), kCheckpointMagic, sizeof kCheckpointMagic) != 0)
        fail(bytes_.empty()                   ? "not a LatentLab checkpoint (the file is empty)"
             : bytes_.compare(0, 4, "PK\x03\x04") == 0 ? "not a LatentLab checkpoint but a zip, e.g. a PyTorch .pth file "
                                                        "(latentlab-cli import --pth turns a DCGAN state_dict into one)"
                                                      : "not a LatentLab checkpoint (wrong signature)");
    if (bytes_.size() < kCheckpointHeaderSize) fail("truncated checkpoint (the header is incomplete)");
    const auto format = get_le<std::uint32_t>(bytes_.data() + 8);
    if (format > kCheckpointFormat)
        fail("checkpoint format " + std::to_string(format) + " is newer than this LatentLab reads (" +
             std::to_string(kCheckpointFormat) + ")");
    if (format < kCheckpointFormat)
        fail("written by an older LatentLab (checkpoint format " + std::to_string(format) +
             ", a code archive that is no longer opened for safety); retrain, or open it with the LatentLab that wrote it");
    const auto payload_size = get_le<std::uint64_t>(bytes_.data() + 12);
    const auto checksum = get_le<std::uint32_t>(bytes_.data() + 20);
    const std::size_t have = bytes_.size() - kCheckpointHeaderSize;
    if (have < payload_size)
        fail("truncated checkpoint (" + std::to_string(have) + " of " + std::to_string(payload_size) + " payload bytes)");
    if (have > payload_size) fail("corrupt checkpoint (" + std::to_string(have - payload_size) + " unexpected bytes at the end)");
    if (crc32_of(bytes_.data() + kCheckpointHeaderSize, payload_size) != checksum) fail("corrupt checkpoint (checksum mismatch)");

    view_ = std::make_unique<SafetensorsView>(bytes_.data() + kCheckpointHeaderSize, payload_size, path_);
    const auto& metadata = view_->metadata();
    const auto meta = metadata.find(kMetaKey), optimizers = metadata.find(kOptimizersKey);
    if (meta == metadata.end()) fail("checkpoint has no metadata");
    try {
        meta_ = nlohmann::json::parse(meta->second);
        optimizers_ = optimizers == metadata.end() ? nlohmann::json::object() : nlohmann::json::parse(optimizers->second);
    } catch (const nlohmann::json::exception& e) {
        fail(std::string("checkpoint metadata is not valid JSON (") + e.what() + ")");
    }
    if (!meta_.is_object()) fail("checkpoint metadata is not a JSON object");
    if (!optimizers_.is_object()) fail("checkpoint optimizer settings are not a JSON object");
}

void CheckpointReader::require_weights(std::uint64_t weights, const std::string& what) const {
    if (weights * sizeof(float) > tensor_bytes())
        fail("the checkpoint's config describes a " + what + " of " + std::to_string(weights) + " weights, more than its " +
             std::to_string(tensor_bytes()) + " bytes of tensors hold");
}

void CheckpointReader::require_training_state() const {
    if (meta_.contains("imported_from")) fail("imported from PyTorch, it holds no training state to resume; start a new run");
}

void CheckpointReader::load_module(const std::string& key, torch::nn::Module& module) const {
    const auto state = module_state(module);
    // Check everything before changing anything.
    for (const auto& [name, target] : state) {
        const std::string field = key + "/" + name;
        if (!view_->contains(field)) fail("checkpoint holds no '" + field + "'");
        const auto& e = view_->entry(field);
        if (e.dtype != safetensors_dtype(target.scalar_type()))
            fail("'" + field + "' is " + e.dtype + ", the model needs " + safetensors_dtype(target.scalar_type()));
        if (at::IntArrayRef(e.shape) != target.sizes())
            fail("'" + field + "' has shape " + shape_text(e.shape) + ", the model needs " + shape_text(target.sizes()));
    }
    std::size_t under_key = 0;
    for (const auto& [name, e] : view_->entries())
        if (name.rfind(key + "/", 0) == 0) ++under_key;
    if (under_key != state.size())
        fail("'" + key + "' holds " + std::to_string(under_key) + " tensors, the model has " + std::to_string(state.size()));
    torch::NoGradGuard no_grad;
    for (const auto& [name, target] : state) target.copy_(view_->tensor(key + "/" + name));
}

void CheckpointReader::load_optimizer(const std::string& key, torch::optim::Adam& optimizer) const {
    if (!optimizers_.contains(key)) fail("checkpoint holds no '" + key + "'");
    const auto& groups = optimizers_.at(key);
    auto& param_groups = optimizer.param_groups();
    if (!groups.is_array() || groups.size() != param_groups.size())
        fail("'" + key + "' has " + (groups.is_array() ? std::to_string(groups.size()) : "no") + " parameter groups, the optimizer " +
             std::to_string(param_groups.size()));
    // Check every group and tensor first, then restore.
    std::vector<torch::optim::AdamOptions> options;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        const std::string field = key + "/" + std::to_string(g);
        try {
            const auto& j = groups.at(g);
            if (j.at("params").get<std::size_t>() != param_groups[g].params().size())
                fail("'" + field + "' holds the state of " + j.at("params").dump() + " parameters, the model has " +
                     std::to_string(param_groups[g].params().size()));
            const auto betas = j.at("betas").get<std::vector<double>>();
            if (betas.size() != 2) fail("'" + field + "' betas are not a pair");
            options.push_back(torch::optim::AdamOptions(j.at("lr").get<double>())
                                  .betas({betas[0], betas[1]})
                                  .eps(j.at("eps").get<double>())
                                  .weight_decay(j.at("weight_decay").get<double>())
                                  .amsgrad(j.at("amsgrad").get<bool>()));
        } catch (const nlohmann::json::exception& e) {
            fail("'" + field + "' settings are incomplete (" + e.what() + ")");
        }
        const auto& params = param_groups[g].params();
        for (std::size_t i = 0; i < params.size(); ++i) {
            const std::string step = param_key(key, g, i, "step");
            if (!view_->contains(step)) continue;
            const auto& s = view_->entry(step);
            if (s.dtype != "I64" || !s.shape.empty()) fail("'" + step + "' is not an I64 scalar");
            for (const char* moment : {"exp_avg", "exp_avg_sq", "max_exp_avg_sq"}) {
                const std::string field_name = param_key(key, g, i, moment);
                if (!view_->contains(field_name)) {
                    if (std::strcmp(moment, "max_exp_avg_sq") == 0) continue;
                    fail("checkpoint holds no '" + field_name + "'");
                }
                const auto& e = view_->entry(field_name);
                if (e.dtype != safetensors_dtype(params[i].scalar_type()) || at::IntArrayRef(e.shape) != params[i].sizes())
                    fail("'" + field_name + "' is " + e.dtype + " " + shape_text(e.shape) + ", its parameter " +
                         safetensors_dtype(params[i].scalar_type()) + " " + shape_text(params[i].sizes()));
            }
        }
    }
    for (std::size_t g = 0; g < groups.size(); ++g) {
        static_cast<torch::optim::AdamOptions&>(param_groups[g].options()) = options[g];
        const auto& params = param_groups[g].params();
        for (std::size_t i = 0; i < params.size(); ++i) {
            void* id = params[i].unsafeGetTensorImpl();
            const std::string step = param_key(key, g, i, "step");
            if (!view_->contains(step)) {
                optimizer.state().erase(id);
                continue;
            }
            // The state goes where the parameter is, in the parameter's layout.
            auto on_param = [&](const char* moment) {
                return at::empty_like(params[i]).copy_(view_->tensor(param_key(key, g, i, moment)));
            };
            auto s = std::make_unique<torch::optim::AdamParamState>();
            s->step(view_->tensor(step).item<std::int64_t>());
            s->exp_avg(on_param("exp_avg"));
            s->exp_avg_sq(on_param("exp_avg_sq"));
            if (view_->contains(param_key(key, g, i, "max_exp_avg_sq"))) s->max_exp_avg_sq(on_param("max_exp_avg_sq"));
            optimizer.state()[id] = std::move(s);
        }
    }
}

at::Tensor CheckpointReader::tensor(const std::string& key, std::optional<c10::ScalarType> dtype,
                                    std::optional<std::vector<std::int64_t>> shape) const {
    if (!view_->contains(key)) fail("checkpoint holds no '" + key + "'");
    const auto& e = view_->entry(key);
    if (dtype && e.dtype != safetensors_dtype(*dtype))
        fail("'" + key + "' is " + e.dtype + ", expected " + safetensors_dtype(*dtype));
    if (shape && e.shape != *shape) fail("'" + key + "' has shape " + shape_text(e.shape) + ", expected " + shape_text(*shape));
    return view_->tensor(key);
}

} // namespace latentlab
