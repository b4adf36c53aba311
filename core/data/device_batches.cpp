// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/device_batches.h"

#include <string>

#include <ATen/TensorOperators.h>
#include <ATen/ops/arange.h>
#include <ATen/ops/from_blob.h>
#include <ATen/ops/index.h>
#include <ATen/ops/where.h>
#include <c10/core/CachingDeviceAllocator.h>
#include <c10/util/Exception.h>

#include "common/error.h"
#include "common/memory.h"

namespace latentlab {

bool images_fit_on_device(const DecodedImages& images, c10::Device device) {
    if (!device.is_cuda()) return false;
    const auto [free, total] = c10::getDeviceAllocator(c10::kCUDA)->getMemoryInfo(device.index());
    (void)total;
    return images.pixels.size() <= free / 2;
}

DeviceBatches::DeviceBatches(std::shared_ptr<const DecodedImages> images, const BatchLoaderOptions& options,
                             c10::Device device)
    : images_(std::move(images)), options_(options),
      plan_(options_, images_ ? static_cast<std::int64_t>(images_->count()) : 0, images_ ? images_->size : 0),
      device_(device) {
    const auto n = static_cast<std::int64_t>(images_->count());
    const std::int64_t s = images_->size, c = images_->channels;
    // The bytes stay owned by `images_`, which this object keeps alive.
    const at::Tensor host = at::from_blob(const_cast<std::uint8_t*>(images_->pixels.data()), {n, s, s, c},
                                          at::TensorOptions().dtype(at::kByte));
    try {
        pixels_ = device_.is_cpu() ? host : host.to(device_);
    } catch (const c10::Error& e) {
        throw Error("the decoded images (" + format_bytes(images_->pixels.size()) + ") could not be uploaded to " +
                    device_.str() + ": " + e.what_without_backtrace());
    }
    columns_ = at::arange(options_.crop_size, at::TensorOptions().dtype(at::kLong).device(device_));
}

void DeviceBatches::start_epoch(std::int64_t epoch, std::int64_t first_batch) {
    const std::vector<std::int64_t> order = plan_.epoch_order(epoch);
    const auto n = static_cast<std::int64_t>(order.size());
    at::Tensor plan = at::empty({4, n}, at::TensorOptions().dtype(at::kLong));
    auto p = plan.accessor<std::int64_t, 2>();
    for (std::int64_t i = 0; i < n; ++i) {
        const auto where = plan_.placement(epoch, order[static_cast<std::size_t>(i)]);
        p[0][i] = order[static_cast<std::size_t>(i)];
        p[1][i] = where.x0;
        p[2][i] = where.y0;
        p[3][i] = where.flip ? 1 : 0;
    }
    plan = plan.to(device_);  // one upload per epoch
    order_ = plan[0];
    x0_ = plan[1];
    y0_ = plan[2];
    flip_ = plan[3].to(at::kBool);
    next_batch_ = first_batch;
}

at::Tensor DeviceBatches::next() {
    if (next_batch_ >= plan_.batches_per_epoch()) throw Error("device batches: the epoch has no batch left");
    const std::int64_t b = options_.batch_size, s = options_.crop_size;
    const std::int64_t first = next_batch_++ * b;
    const at::Tensor images = pixels_.index_select(0, order_.narrow(0, first, b));  // [B, S, S, C]
    const at::Tensor rows = y0_.narrow(0, first, b).view({b, 1}) + columns_.view({1, s});
    const at::Tensor flipped = at::where(flip_.narrow(0, first, b).view({b, 1}), (s - 1) - columns_.view({1, s}),
                                         columns_.view({1, s}));
    const at::Tensor cols = x0_.narrow(0, first, b).view({b, 1}) + flipped;
    const at::Tensor batch_index = at::arange(b, columns_.options()).view({b, 1, 1});
    const at::Tensor crops = at::index(images, {batch_index, rows.view({b, s, 1}), cols.view({b, 1, s})});  // [B, s, s, C]
    return to_training_range(crops.permute({0, 3, 1, 2})).contiguous();
}

at::Tensor to_training_range(const at::Tensor& bytes) { return bytes.to(at::kFloat).mul_(kPixelScale).sub_(1.0); }

} // namespace latentlab
