// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>
#include <torch/nn/modules/container/sequential.h>

#include "data/decoded_images.h"

namespace latentlab {

// An attribute probe: a small multi-label classifier trained on the real
// images of a dataset that has attributes (CelebA's list_attr_celeba.txt, the
// built-in faces' own), which then says how likely each attribute is in any
// image, generated ones included. It picks faces by attribute and checks that
// a projection kept what the photo showed.
//
// The network: three stride-2 4x4 convolutions (32, 64, 128 filters, leaky
// ReLU, batch norm after the first), an average pool to 4 x 4 and one linear
// layer with a logit per attribute.
struct AttributeProbe {
    std::vector<std::string> names;  // one per output, the data's attribute names
    int image_size = 0;              // the images it was trained on: size x size
    int channels = 0;                // 1 or 3
    torch::nn::Sequential net{nullptr};
};

struct ProbeOptions {
    int steps = 600;            // Adam steps of `batch_size` images
    int batch_size = 64;
    double learning_rate = 1e-3;
    std::uint64_t seed = 1;     // weights and batch order: the probe is a function of it
    double held_out = 0.1;      // the last fraction of the images is kept out of training (0 .. 0.5)
    const std::atomic<bool>* cancel = nullptr;  // checked every step; throws Cancelled
    std::function<void(int step, int steps, double loss)> progress = {};  // every 50 steps and at the end
};

// What the probe gets right on the held-out images: per attribute, the
// fraction whose predicted sign (probability above 0.5) is the true one.
struct ProbeReport {
    std::vector<std::string> names;
    std::vector<double> accuracy;
    std::size_t images = 0;  // held-out images scored
    double mean_accuracy() const;
};

// Trains a probe on `data` (which must have attributes; throws
// latentlab::Error naming what is missing) on the CPU, and reports its
// accuracy on the held-out images (empty when held_out is 0).
AttributeProbe train_attribute_probe(const DecodedImages& data, const ProbeOptions& options,
                                     ProbeReport* report = nullptr);

// Per image, the probability of each attribute: [N, names.size()] float32 on
// the CPU, for `images` [N, C, S, S] in [-1, 1] at the probe's size and
// channels (any device). Throws latentlab::Error for another shape.
at::Tensor attribute_probabilities(const AttributeProbe& probe, const at::Tensor& images);

// `images` of a DecodedImages as a float batch [N, C, S, S] in [-1, 1].
at::Tensor images_as_batch(const DecodedImages& data, const std::vector<std::int64_t>& indices);

// A probe file is a safetensors file (the weights) whose metadata says
// "format": "latentlab-attribute-probe" and holds the names, size and
// channels. Both throw latentlab::Error naming the file and the reason.
void save_attribute_probe(const std::string& path, const AttributeProbe& probe);
AttributeProbe load_attribute_probe(const std::string& path);

} // namespace latentlab
