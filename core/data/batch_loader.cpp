// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/batch_loader.h"

#include <chrono>
#include <string>

#include <ATen/ops/empty.h>

#include "common/error.h"

namespace latentlab {

BatchLoader::BatchLoader(std::shared_ptr<const DecodedImages> images, const BatchLoaderOptions& options)
    : images_(std::move(images)), options_(options),
      plan_(options_, images_ ? static_cast<std::int64_t>(images_->count()) : 0, images_ ? images_->size : 0) {
    if (options_.workers < 1) options_.workers = 1;
    if (options_.prefetch < 1) options_.prefetch = 1;
}

BatchLoader::~BatchLoader() { stop_workers(); }

std::vector<std::int64_t> BatchLoader::epoch_order(std::int64_t epoch) const { return plan_.epoch_order(epoch); }

at::Tensor BatchLoader::assemble(std::int64_t epoch, std::int64_t batch) const {
    const int s = options_.crop_size, c = images_->channels, src = images_->size;
    const int b = options_.batch_size;
    auto tensor_options =
        at::TensorOptions().dtype(options_.bytes ? at::kByte : at::kFloat).pinned_memory(options_.pin_memory);
    at::Tensor out = at::empty({b, c, s, s}, tensor_options);
    const std::vector<std::int64_t>& order = order_;
    const std::size_t plane = static_cast<std::size_t>(s) * s;
    // Crops, flips and transposes HWC to CHW, converting each byte with `value`.
    const auto fill = [&](auto* dst, auto value) {
        for (int k = 0; k < b; ++k) {
            const auto index = order[static_cast<std::size_t>(batch * b + k)];
            const auto [x0, y0, flip] = plan_.placement(epoch, index);
            const std::uint8_t* image = images_->image(static_cast<std::size_t>(index));
            auto* out_image = dst + static_cast<std::size_t>(k) * c * plane;
            for (int y = 0; y < s; ++y) {
                const std::uint8_t* row = image + (static_cast<std::size_t>(y0 + y) * src + x0) * c;
                for (int x = 0; x < s; ++x) {
                    const int sx = flip ? s - 1 - x : x;
                    for (int ch = 0; ch < c; ++ch)
                        out_image[ch * plane + static_cast<std::size_t>(y) * s + x] = value(row[sx * c + ch]);
                }
            }
            // Pixels mapped from a cache file leave resident memory once copied,
            // so a dataset larger than memory does not accumulate in it.
            images_->pixels.release(static_cast<std::size_t>(index) * images_->image_bytes(), images_->image_bytes());
        }
    };
    if (options_.bytes) fill(out.data_ptr<std::uint8_t>(), [](std::uint8_t v) { return v; });
    else fill(out.data_ptr<float>(), [](std::uint8_t v) { return v * kPixelScale - 1.0f; });
    return out;
}

void BatchLoader::start_epoch(std::int64_t epoch, std::int64_t first_batch) {
    stop_workers();
    order_ = epoch_order(epoch);
    epoch_ = epoch;
    next_batch_ = next_to_assemble_ = first_batch;
    done_.clear();
    stopping_ = false;
    for (int w = 0; w < options_.workers; ++w) workers_.emplace_back([this, w] { worker_loop(w); });
}

void BatchLoader::worker_loop(int) {
    for (;;) {
        std::int64_t batch;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            space_.wait(lock, [&] { return stopping_ || next_to_assemble_ < next_batch_ + options_.prefetch; });
            if (stopping_ || next_to_assemble_ >= plan_.batches_per_epoch()) return;
            batch = next_to_assemble_++;
        }
        at::Tensor t = assemble(epoch_, batch);
        {
            std::lock_guard<std::mutex> lock(mutex_);
            done_.emplace(batch, std::move(t));
        }
        ready_.notify_all();
    }
}

at::Tensor BatchLoader::next() {
    const auto start = std::chrono::steady_clock::now();
    std::unique_lock<std::mutex> lock(mutex_);
    if (next_batch_ >= plan_.batches_per_epoch()) throw Error("batch loader: the epoch has no batch left");
    ready_.wait(lock, [&] { return done_.count(next_batch_) > 0; });
    auto node = done_.extract(next_batch_);
    ++next_batch_;
    lock.unlock();
    space_.notify_all();
    last_wait_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return std::move(node.mapped());
}

void BatchLoader::stop_workers() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    space_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
}

} // namespace latentlab
