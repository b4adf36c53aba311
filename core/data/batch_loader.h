// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <ATen/core/Tensor.h>

#include "data/batch_plan.h"
#include "data/batch_source.h"
#include "data/decoded_images.h"

namespace latentlab {

struct BatchLoaderOptions {
    int batch_size = 64;
    int crop_size = 64;         // training size; the cache may be larger for random crops
    bool random_crop = false;   // else a centre crop
    bool flip = false;          // random horizontal flips
    std::uint64_t seed = 1;
    int workers = 2;            // assembling threads
    int prefetch = 4;           // batches kept ready ahead of the trainer
    bool pin_memory = false;    // page-locked batches for non-blocking copies to CUDA
    // uint8 batches, cropped and flipped but not scaled, for the device to
    // scale (to_training_range): a quarter of the bytes to copy to a GPU.
    bool bytes = false;
};

// The training pipeline over the pre-decoded cache: shuffle -> crop (centre or
// random) -> optional flip -> scale to [-1, 1] -> batch, assembled ahead of
// time on worker threads, following the BatchPlan. So a resumed run sees
// exactly the batches the uninterrupted run saw, whatever the number of
// workers. The last partial batch is dropped.
class BatchLoader : public BatchSource {
public:
    // Throws latentlab::Error when the source holds fewer images than a batch.
    BatchLoader(std::shared_ptr<const DecodedImages> images, const BatchLoaderOptions& options);
    ~BatchLoader() override;
    BatchLoader(const BatchLoader&) = delete;
    BatchLoader& operator=(const BatchLoader&) = delete;

    std::int64_t batches_per_epoch() const override { return plan_.batches_per_epoch(); }
    int channels() const { return images_->channels; }

    // Starts assembling epoch `epoch` from batch `first_batch` on.
    void start_epoch(std::int64_t epoch, std::int64_t first_batch = 0) override;
    // The next batch of the epoch, float32 [B, C, S, S] on the CPU (uint8 with
    // options.bytes). Blocks
    // until it is ready; the time spent waiting is in last_wait_seconds().
    at::Tensor next() override;
    double last_wait_seconds() const override { return last_wait_; }

    // Assembles one batch directly (used by the workers and by tests).
    at::Tensor assemble(std::int64_t epoch, std::int64_t batch) const;
    std::vector<std::int64_t> epoch_order(std::int64_t epoch) const;

private:
    void stop_workers();
    void worker_loop(int worker);

    std::shared_ptr<const DecodedImages> images_;
    BatchLoaderOptions options_;
    BatchPlan plan_;

    std::mutex mutex_;
    std::condition_variable ready_;     // a batch arrived
    std::condition_variable space_;     // the trainer took a batch
    std::map<std::int64_t, at::Tensor> done_;
    std::vector<std::thread> workers_;
    std::vector<std::int64_t> order_;
    std::int64_t epoch_ = 0, next_batch_ = 0, next_to_assemble_ = 0;
    bool stopping_ = false;
    double last_wait_ = 0.0;
};

} // namespace latentlab
