// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include "data/batch_loader.h"
#include "data/batch_plan.h"
#include "data/batch_source.h"
#include "data/decoded_images.h"

namespace latentlab {

// Batches assembled on the training device: the decoded uint8 images are
// uploaded once (on the CPU they are used where they lie, without a copy),
// each epoch's plan (order, crops, flips: a few bytes per image) goes up once
// per epoch, and every batch is gathered, cropped, flipped and scaled to
// [-1, 1] by tensor operations on the device. No host thread, no per-batch
// transfer. It holds exactly the batches BatchLoader assembles for the same
// options (the same BatchPlan and the same arithmetic).
class DeviceBatches : public BatchSource {
public:
    // Throws latentlab::Error like BatchLoader for data that cannot make a
    // batch, and when the upload fails (e.g. the device runs out of memory).
    DeviceBatches(std::shared_ptr<const DecodedImages> images, const BatchLoaderOptions& options, c10::Device device);

    std::int64_t batches_per_epoch() const override { return plan_.batches_per_epoch(); }
    void start_epoch(std::int64_t epoch, std::int64_t first_batch = 0) override;
    at::Tensor next() override;
    double last_wait_seconds() const override { return 0.0; }

private:
    std::shared_ptr<const DecodedImages> images_;
    BatchLoaderOptions options_;
    BatchPlan plan_;
    c10::Device device_;
    at::Tensor pixels_;               // [N, S, S, C] uint8 on the device
    at::Tensor order_, x0_, y0_, flip_;  // this epoch's plan, [N] on the device, in batch order
    at::Tensor columns_;              // [s] long: 0 .. crop - 1
    std::int64_t next_batch_ = 0;
};

// uint8 pixels -> float32 in [-1, 1] where they are, with the same arithmetic
// as BatchLoader's float batches (bitwise equal).
at::Tensor to_training_range(const at::Tensor& bytes);

// Whether `images` should live on `device` for training: on CUDA when they
// take at most half of the device's free memory (the rest is for the models
// and their activations).
bool images_fit_on_device(const DecodedImages& images, c10::Device device);

} // namespace latentlab
