// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <c10/core/Event.h>
#include <c10/core/Stream.h>

namespace latentlab {

// Brings a BatchSource's batch to the training device as float32 in [-1, 1].
// Batches made on the device pass through. Host threads make page-locked
// uint8 batches for CUDA (BatchLoaderOptions::bytes); their copy goes on a
// stream of its own, so it runs while the previous iterations' work still
// occupies the training stream (the host queues iterations ahead of the
// device), and the training stream waits for it with an event before the
// batch is scaled there. Each batch has its own host and device buffers,
// which the allocators keep until the streams that use them are done.
class BatchUpload {
public:
    explicit BatchUpload(c10::Device device);
    at::Tensor operator()(const at::Tensor& batch);

private:
    c10::Device device_;
    std::optional<c10::Stream> copy_stream_;  // CUDA
    std::optional<c10::Event> copied_;
};

} // namespace latentlab
