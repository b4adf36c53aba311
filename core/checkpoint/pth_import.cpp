// SPDX-License-Identifier: GPL-3.0-or-later
#include "checkpoint/pth_import.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>

#include <torch/nn/module.h>

#include "checkpoint/checkpoint_file.h"
#include "checkpoint/pth_file.h"
#include "common/error.h"
#include "latent/latent_batch.h"
#include "train/device.h"
#include "train/train_config.h"

namespace latentlab {
namespace {

constexpr std::int64_t kFixedNoise = 64;  // latents stored as the imported checkpoint's fixed noise

// The file's tensors by name, without DataParallel's "module." prefix.
std::map<std::string, at::Tensor> state_of(const std::string& path, NamedTensors& order) {
    order = read_pth_state_dict(path);
    if (order.empty()) throw Error(path + ": the state_dict is empty");
    const bool wrapped = std::all_of(order.begin(), order.end(), [](const auto& t) { return t.first.rfind("module.", 0) == 0; });
    std::map<std::string, at::Tensor> state;
    for (auto& [name, tensor] : order) {
        if (wrapped) name = name.substr(7);
        state[name] = tensor;
    }
    return state;
}

// The 4-D "main.N.weight" tensors in layer order: the convolutions.
std::vector<at::Tensor> convolutions(const std::string& path, const std::map<std::string, at::Tensor>& state,
                                     const NamedTensors& order) {
    std::vector<std::pair<int, at::Tensor>> convs;
    for (const auto& [name, tensor] : state) {
        if (name.rfind("main.", 0) != 0 || tensor.dim() != 4) continue;
        const auto dot = name.find('.', 5);
        if (dot == std::string::npos || name.substr(dot) != ".weight") continue;
        try {
            convs.emplace_back(std::stoi(name.substr(5, dot - 5)), tensor);
        } catch (const std::exception&) {
        }
    }
    if (convs.size() < 2)
        throw Error(path + ": not a DCGAN state_dict (no main.N.weight convolutions; first key '" + order.front().first + "')");
    std::sort(convs.begin(), convs.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<at::Tensor> out;
    for (auto& c : convs) out.push_back(c.second);
    return out;
}

// Copies `state` into the module after checking every name and shape; the
// first missing, extra or misshapen key is the error.
void load_into(const std::string& path, const std::map<std::string, at::Tensor>& state, torch::nn::Module& module,
               const std::string& what) {
    const NamedTensors targets = module_state(module);
    for (const auto& [name, target] : targets) {
        const auto it = state.find(name);
        if (it == state.end()) throw Error(path + ": '" + name + "' is missing (" + what + " needs it)");
        if (it->second.sizes() != target.sizes())
            throw Error(path + ": '" + name + "' has shape " + shape_text(it->second.sizes()) + ", " + what + " needs " +
                        shape_text(target.sizes()));
        if (it->second.is_floating_point() != target.is_floating_point())
            throw Error(path + ": '" + name + "' is " + std::string(c10::toString(it->second.scalar_type())) + ", " + what +
                        " needs " + c10::toString(target.scalar_type()));
    }
    for (const auto& entry : state) {
        const std::string& name = entry.first;
        if (std::none_of(targets.begin(), targets.end(), [&name](const auto& t) { return t.first == name; }))
            throw Error(path + ": '" + name + "' is not part of " + what);
    }
    torch::NoGradGuard no_grad;
    for (const auto& [name, target] : targets) target.copy_(state.at(name));
}

ModelConfig validated(const std::string& path, ModelConfig m) {
    try {
        m.validate();
    } catch (const Error& e) {
        throw Error(path + ": " + e.what());
    }
    return m;
}

// nz, ngf, channels and size from netG's convolutions: main.0 is nz -> ngf * 2^(blocks-1), the last is ngf -> channels.
ModelConfig generator_shape(const std::string& path, const std::vector<at::Tensor>& convs) {
    const int blocks = static_cast<int>(convs.size()) - 1;
    if (blocks < 3 || blocks > 5)
        throw Error(path + ": " + std::to_string(convs.size()) + " transposed convolutions; LatentLab's DCGANs have 4 (32 px), 5 (64 px) or 6 (128 px)");
    ModelConfig m;
    m.image_size = 4 << blocks;
    m.nz = convs.front().size(0);
    m.channels = static_cast<int>(convs.back().size(1));
    m.ngf = convs.front().size(1) >> (blocks - 1);
    if (m.ngf < 1 || (m.ngf << (blocks - 1)) != convs.front().size(1))
        throw Error(path + ": 'main.0.weight' has shape " + shape_text(convs.front().sizes()) +
                    ", whose width is not ngf x 2^" + std::to_string(blocks - 1));
    m.ndf = m.ngf;
    return validated(path, m);
}

Generator imported_generator(const std::string& path, ModelConfig& model) {
    NamedTensors order;
    const auto state = state_of(path, order);
    model = generator_shape(path, convolutions(path, state, order));
    Generator g(model);
    load_into(path, state, *g, "a DCGAN generator of " + std::to_string(model.image_size) + " px, nz " +
                                   std::to_string(model.nz) + ", ngf " + std::to_string(model.ngf));
    g->eval();
    return g;
}

nlohmann::json imported_meta(const std::string& netg, const std::string& netd, const ModelConfig& model) {
    TrainConfig config;
    config.use_recipe("dcgan");
    config.model = model;
    config.channels_auto = false;
    config.data = "imported";
    nlohmann::json origin{{"kind", "pytorch state_dict"}, {"generator", netg}};
    if (!netd.empty()) origin["discriminator"] = netd;
    return {{"format", kCheckpointFormat}, {"config", to_json(config)}, {"epoch", 0}, {"batch", 0}, {"iteration", 0},
            {"healthy", true}, {"pairs", 1}, {"best_pair", 0}, {"imported_from", origin},
            {"libtorch", libtorch_version()},
            {"created", std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch()).count()}};
}

} // namespace

bool is_pytorch_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    char magic[4] = {};
    return in.read(magic, 4) && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
}

GeneratorSnapshot import_pytorch_generator(const std::string& netg_path, c10::Device device) {
    GeneratorSnapshot s;
    s.generator = imported_generator(netg_path, s.model);
    s.generator->to(device);
    s.meta = imported_meta(netg_path, "", s.model);
    s.path = netg_path;
    s.device = device;
    return s;
}

std::string imported_checkpoint_bytes(const std::string& netg_path, const std::string& netd_path) {
    ModelConfig model;
    Generator g = imported_generator(netg_path, model);
    CheckpointWriter w;
    w.add_module("generator", *g);
    if (!netd_path.empty()) {
        NamedTensors order;
        const auto state = state_of(netd_path, order);
        const auto convs = convolutions(netd_path, state, order);
        // netD: main.0 is channels -> ndf; it must fit the generator's images.
        if (static_cast<int>(convs.size()) - 1 != model.upsampling_blocks() || convs.front().size(1) != model.channels)
            throw Error(netd_path + ": 'main.0.weight' has shape " + shape_text(convs.front().sizes()) + " in " +
                        std::to_string(convs.size()) + " convolutions, which does not fit the generator's " +
                        std::to_string(model.image_size) + " px, " + std::to_string(model.channels) + "-channel images");
        model.ndf = convs.front().size(0);
        model = validated(netd_path, model);
        Discriminator d(model);
        load_into(netd_path, state, *d, "a DCGAN discriminator of " + std::to_string(model.image_size) + " px, ndf " +
                                            std::to_string(model.ndf));
        w.add_module("discriminator", *d);
    }
    w.set_meta(imported_meta(netg_path, netd_path, model));
    w.add_tensor("fixed_noise", latent_batch(0, kFixedNoise, model.nz));
    return w.bytes();
}

} // namespace latentlab
