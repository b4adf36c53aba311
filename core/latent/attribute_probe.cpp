// SPDX-License-Identifier: GPL-3.0-or-later
#include "latent/attribute_probe.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <nlohmann/json.hpp>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/pooling.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/functional/loss.h>
#include <torch/optim/adam.h>
#include <torch/utils.h>

#include "checkpoint/safetensors.h"
#include "common/error.h"
#include "common/atomic_file.h"

namespace latentlab {
namespace {

constexpr const char* kFormat = "latentlab-attribute-probe";
constexpr int kPooled = 4;       // the average pool's output side
constexpr int kMaxAttributes = 1024;

torch::nn::Sequential build_net(int channels, int attributes) {
    namespace nn = torch::nn;
    const auto conv = [](int in, int out) { return nn::Conv2d(nn::Conv2dOptions(in, out, 4).stride(2).padding(1)); };
    const auto leaky = [] { return nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(0.2)); };
    return nn::Sequential(conv(channels, 32), leaky(), conv(32, 64), nn::BatchNorm2d(64), leaky(), conv(64, 128),
                          leaky(), nn::AdaptiveAvgPool2d(kPooled), nn::Flatten(),
                          nn::Linear(128 * kPooled * kPooled, attributes));
}

// Weights from the probe's own generator, so the result never depends on
// what else used LibTorch's global one.
void initialise(torch::nn::Sequential& net, at::Generator& gen) {
    torch::NoGradGuard no_grad;
    for (auto& p : net->named_parameters()) {
        if (p.key().find("bias") != std::string::npos) p.value().zero_();
        else if (p.value().dim() == 1) p.value().fill_(1.0);  // batch norm's scale
        else p.value().normal_(0.0, 0.02, gen);
    }
}

void check_images(const AttributeProbe& probe, const at::Tensor& images) {
    if (images.dim() != 4 || images.size(1) != probe.channels || images.size(2) != probe.image_size ||
        images.size(3) != probe.image_size)
        throw Error("the attribute probe takes [N, " + std::to_string(probe.channels) + ", " +
                    std::to_string(probe.image_size) + ", " + std::to_string(probe.image_size) + "] images, not " +
                    shape_text(images.sizes()));
}

} // namespace

double ProbeReport::mean_accuracy() const {
    if (accuracy.empty()) return 0.0;
    double sum = 0.0;
    for (double a : accuracy) sum += a;
    return sum / static_cast<double>(accuracy.size());
}

at::Tensor images_as_batch(const DecodedImages& data, const std::vector<std::int64_t>& indices) {
    const auto n = static_cast<std::int64_t>(indices.size());
    at::Tensor bytes = at::empty({n, data.size, data.size, data.channels}, at::kByte);
    auto* out = bytes.data_ptr<std::uint8_t>();
    for (std::int64_t i = 0; i < n; ++i) {
        const auto k = static_cast<std::size_t>(indices[static_cast<std::size_t>(i)]);
        std::copy_n(data.image(k), data.image_bytes(), out + static_cast<std::size_t>(i) * data.image_bytes());
    }
    return bytes.permute({0, 3, 1, 2}).to(at::kFloat).div_(127.5).sub_(1.0).contiguous();
}

AttributeProbe train_attribute_probe(const DecodedImages& data, const ProbeOptions& o, ProbeReport* report) {
    if (data.attributes.empty())
        throw Error("the data has no attributes to learn (use the built-in faces or a CelebA folder with "
                    "list_attr_celeba.txt)");
    if (static_cast<int>(data.attributes.names.size()) > kMaxAttributes)
        throw Error("the data has " + std::to_string(data.attributes.names.size()) + " attributes, more than " +
                    std::to_string(kMaxAttributes));
    if (o.steps < 1 || o.batch_size < 1 || !(o.learning_rate > 0.0) || !(o.held_out >= 0.0 && o.held_out <= 0.5))
        throw Error("attribute probe: steps and batch size must be at least 1, the learning rate above 0 and the "
                    "held-out fraction in [0, 0.5]");
    const auto count = static_cast<std::int64_t>(data.count());
    const auto held = static_cast<std::int64_t>(std::floor(static_cast<double>(count) * o.held_out));
    const std::int64_t trained = count - held;
    if (trained < 1) throw Error("attribute probe: no images left to train on");

    AttributeProbe probe;
    probe.names = data.attributes.names;
    probe.image_size = data.size;
    probe.channels = data.channels;
    const auto attributes = static_cast<int>(probe.names.size());
    probe.net = build_net(probe.channels, attributes);
    auto gen = at::make_generator<at::CPUGeneratorImpl>(o.seed);
    initialise(probe.net, gen);

    // Targets in {0, 1} for every image, row by row.
    at::Tensor targets = at::empty({count, attributes}, at::kFloat);
    auto* t = targets.data_ptr<float>();
    for (std::int64_t i = 0; i < count; ++i)
        for (int a = 0; a < attributes; ++a)
            t[i * attributes + a] = data.attributes.values[static_cast<std::size_t>(i)][static_cast<std::size_t>(a)] > 0;

    torch::optim::Adam adam(probe.net->parameters(), torch::optim::AdamOptions(o.learning_rate));
    probe.net->train();
    at::Tensor order;
    std::int64_t at_in_order = trained;
    for (int step = 1; step <= o.steps; ++step) {
        if (o.cancel && o.cancel->load(std::memory_order_relaxed)) throw Cancelled("attribute probe: cancelled");
        std::vector<std::int64_t> batch;
        while (static_cast<int>(batch.size()) < std::min<std::int64_t>(o.batch_size, trained)) {
            if (at_in_order >= trained) {
                order = at::randperm(trained, gen, at::kLong);
                at_in_order = 0;
            }
            batch.push_back(order.data_ptr<std::int64_t>()[at_in_order++]);
        }
        const at::Tensor x = images_as_batch(data, batch);
        const at::Tensor y = targets.index_select(0, at::tensor(batch, at::kLong));
        adam.zero_grad();
        const at::Tensor loss = at::binary_cross_entropy_with_logits(probe.net->forward(x), y);
        loss.backward();
        adam.step();
        if (o.progress && (step % 50 == 0 || step == o.steps)) o.progress(step, o.steps, loss.item<double>());
    }
    probe.net->eval();
    for (auto& p : probe.net->parameters()) p.set_requires_grad(false);

    if (report) {
        report->names = probe.names;
        report->images = static_cast<std::size_t>(held);
        report->accuracy.assign(probe.names.size(), 0.0);
        constexpr std::int64_t kChunk = 256;
        for (std::int64_t from = trained; from < count; from += kChunk) {
            std::vector<std::int64_t> idx;
            for (std::int64_t i = from; i < std::min(count, from + kChunk); ++i) idx.push_back(i);
            const at::Tensor p = attribute_probabilities(probe, images_as_batch(data, idx));
            const at::Tensor right = (p > 0.5).eq(targets.slice(0, from, from + static_cast<std::int64_t>(idx.size())) > 0.5);
            const at::Tensor sums = right.to(at::kDouble).sum(0);
            for (int a = 0; a < attributes; ++a) report->accuracy[static_cast<std::size_t>(a)] += sums[a].item<double>();
        }
        if (held > 0)
            for (double& a : report->accuracy) a /= static_cast<double>(held);
    }
    return probe;
}

at::Tensor attribute_probabilities(const AttributeProbe& probe, const at::Tensor& images) {
    check_images(probe, images);
    torch::NoGradGuard no_grad;
    torch::nn::Sequential net = probe.net;
    net->eval();
    return at::sigmoid(net->forward(images.to(at::kCPU, at::kFloat))).contiguous();
}

void save_attribute_probe(const std::string& path, const AttributeProbe& probe) {
    NamedTensors tensors;
    for (const auto& p : probe.net->named_parameters()) tensors.emplace_back(p.key(), p.value());
    for (const auto& b : probe.net->named_buffers()) tensors.emplace_back(b.key(), b.value());
    const TensorMetadata meta{{"format", kFormat},
                              {"version", "1"},
                              {"names", nlohmann::json(probe.names).dump()},
                              {"image_size", std::to_string(probe.image_size)},
                              {"channels", std::to_string(probe.channels)}};
    write_file_atomically(path, encode_safetensors(tensors, meta));
}

AttributeProbe load_attribute_probe(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot open the attribute probe");
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const SafetensorsView view(bytes.data(), bytes.size(), path);
    const TensorMetadata& meta = view.metadata();
    const auto field = [&](const std::string& key) -> const std::string& {
        const auto it = meta.find(key);
        if (it == meta.end()) throw Error(path + ": not an attribute probe (no '" + key + "' in its metadata)");
        return it->second;
    };
    if (field("format") != kFormat) throw Error(path + ": not an attribute probe (format '" + field("format") + "')");
    if (field("version") != "1") throw Error(path + ": attribute probe version " + field("version") + " is not supported");
    AttributeProbe probe;
    try {
        probe.names = nlohmann::json::parse(field("names")).get<std::vector<std::string>>();
        probe.image_size = std::stoi(field("image_size"));
        probe.channels = std::stoi(field("channels"));
    } catch (const std::exception&) {
        throw Error(path + ": the attribute probe's names, size or channels cannot be read");
    }
    if (probe.names.empty() || static_cast<int>(probe.names.size()) > kMaxAttributes)
        throw Error(path + ": the attribute probe has " + std::to_string(probe.names.size()) + " attributes");
    if (probe.image_size < 8 || probe.image_size > 1024 || (probe.channels != 1 && probe.channels != 3))
        throw Error(path + ": the attribute probe's size " + std::to_string(probe.image_size) + " or channels " +
                    std::to_string(probe.channels) + " is out of range");
    probe.net = build_net(probe.channels, static_cast<int>(probe.names.size()));
    torch::NoGradGuard no_grad;
    const auto fill = [&](const std::string& name, at::Tensor target) {
        if (!view.contains(name)) throw Error(path + ": the attribute probe lacks '" + name + "'");
        const auto& e = view.entry(name);
        if (e.dtype != safetensors_dtype(target.scalar_type()) || at::IntArrayRef(e.shape) != target.sizes())
            throw Error(path + ": '" + name + "' is " + e.dtype + " " + shape_text(e.shape) + ", the probe needs " +
                        safetensors_dtype(target.scalar_type()) + " " + shape_text(target.sizes()));
        target.copy_(view.tensor(name));
    };
    std::size_t expected = 0;
    for (auto& p : probe.net->named_parameters()) {
        fill(p.key(), p.value());
        ++expected;
    }
    for (auto& b : probe.net->named_buffers()) {
        fill(b.key(), b.value());
        ++expected;
    }
    if (view.entries().size() != expected)
        throw Error(path + ": the attribute probe holds " + std::to_string(view.entries().size()) +
                    " tensors, its network " + std::to_string(expected));
    probe.net->eval();
    for (auto& p : probe.net->parameters()) p.set_requires_grad(false);
    return probe;
}

} // namespace latentlab
