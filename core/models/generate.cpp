// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/generate.h"

#include <cstring>

#include <torch/nn/module.h>

#include "common/error.h"

namespace latentlab {

at::Tensor generate(Generator& g, const at::Tensor& latents, c10::Device device, NormStatistics statistics) {
    torch::NoGradGuard no_grad;
    const bool was_training = g->is_training();
    std::vector<at::Tensor> saved_buffers;
    if (statistics == NormStatistics::Batch) {
        // Batch statistics need training mode, which would move the running averages.
        for (const auto& b : g->buffers()) saved_buffers.push_back(b.clone());
        g->train();
    } else {
        g->eval();
    }
    at::Tensor images = g->forward(latents.to(device, at::kFloat)).to(at::kCPU).contiguous();
    if (statistics == NormStatistics::Batch) {
        auto buffers = g->buffers();
        for (std::size_t i = 0; i < buffers.size(); ++i) buffers[i].copy_(saved_buffers[i]);
    }
    g->train(was_training);
    return images;
}

std::vector<Image> to_images(const at::Tensor& batch) {
    if (batch.dim() != 4 || (batch.size(1) != 1 && batch.size(1) != 3))
        throw Error("expected an image batch [N, 1|3, H, W]");
    // [-1, 1] -> [0, 255], NCHW -> NHWC
    const at::Tensor bytes = batch.detach()
                                 .to(at::kCPU, at::kFloat)
                                 .add(1.0)
                                 .mul(127.5)
                                 .round()
                                 .clamp(0, 255)
                                 .to(at::kByte)
                                 .permute({0, 2, 3, 1})
                                 .contiguous();
    const int n = static_cast<int>(bytes.size(0)), h = static_cast<int>(bytes.size(1)),
              w = static_cast<int>(bytes.size(2)), c = static_cast<int>(bytes.size(3));
    std::vector<Image> out;
    out.reserve(n);
    const std::uint8_t* src = bytes.data_ptr<std::uint8_t>();
    for (int i = 0; i < n; ++i) {
        Image img(w, h, c);
        std::memcpy(img.pixels.data(), src + static_cast<std::size_t>(i) * w * h * c, img.pixels.size());
        out.push_back(std::move(img));
    }
    return out;
}

at::Tensor to_batch(const std::vector<Image>& images) {
    if (images.empty()) throw Error("no images to make a batch of");
    const Image& first = images.front();
    at::Tensor bytes = at::empty({static_cast<std::int64_t>(images.size()), first.height, first.width, first.channels}, at::kByte);
    for (std::size_t i = 0; i < images.size(); ++i) {
        const Image& image = images[i];
        if (image.width != first.width || image.height != first.height || image.channels != first.channels)
            throw Error("image " + std::to_string(i) + " is " + std::to_string(image.width) + "x" +
                        std::to_string(image.height) + "x" + std::to_string(image.channels) + " but the first is " +
                        std::to_string(first.width) + "x" + std::to_string(first.height) + "x" +
                        std::to_string(first.channels));
        std::memcpy(bytes[static_cast<std::int64_t>(i)].data_ptr(), image.pixels.data(), image.pixels.size());
    }
    return bytes.permute({0, 3, 1, 2}).to(at::kFloat).div(127.5).sub(1.0).contiguous();
}

} // namespace latentlab
