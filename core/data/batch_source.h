// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>

#include <ATen/core/Tensor.h>

namespace latentlab {

// Where the training loop takes its batches from: BatchLoader (assembled on
// host threads) or DeviceBatches (assembled on the training device from images
// uploaded once). Both follow the same BatchPlan, so they hold the same images.
class BatchSource {
public:
    virtual ~BatchSource() = default;
    virtual std::int64_t batches_per_epoch() const = 0;
    // Starts epoch `epoch` at batch `first_batch`.
    virtual void start_epoch(std::int64_t epoch, std::int64_t first_batch = 0) = 0;
    // The next batch of the epoch: float32 [B, C, S, S] in [-1, 1].
    virtual at::Tensor next() = 0;
    // Seconds the last next() waited for its batch.
    virtual double last_wait_seconds() const = 0;
};

} // namespace latentlab
