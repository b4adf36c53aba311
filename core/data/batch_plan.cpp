// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/batch_plan.h"

#include <string>
#include <utility>

#include "common/error.h"
#include "common/splitmix.h"
#include "data/batch_loader.h"

namespace latentlab {
namespace {

// Salts keep the streams for order, crop and flip apart.
constexpr std::uint64_t kOrderSalt = 0x6f72646572ULL, kAugmentSalt = 0x61756700ULL;

} // namespace

BatchPlan::BatchPlan(const BatchLoaderOptions& options, std::int64_t count, int source_size)
    : seed_(options.seed), count_(count), batches_(options.batch_size > 0 ? count / options.batch_size : 0),
      source_size_(source_size), crop_size_(options.crop_size), random_crop_(options.random_crop),
      flip_(options.flip) {
    if (count_ <= 0) throw Error("the data source holds no image");
    if (source_size_ < crop_size_)
        throw Error("images of " + std::to_string(source_size_) + " px cannot be cropped to " +
                    std::to_string(crop_size_) + " px");
    if (batches_ == 0)
        throw Error("the data source holds " + std::to_string(count_) + " usable images, fewer than one batch of " +
                    std::to_string(options.batch_size) + " (lower --batch-size)");
}

std::vector<std::int64_t> BatchPlan::epoch_order(std::int64_t epoch) const {
    std::vector<std::int64_t> order(static_cast<std::size_t>(count_));
    for (std::int64_t i = 0; i < count_; ++i) order[static_cast<std::size_t>(i)] = i;
    std::uint64_t state = splitmix64(seed_ ^ kOrderSalt) ^ splitmix64(static_cast<std::uint64_t>(epoch));
    for (std::int64_t i = count_ - 1; i > 0; --i) {  // Fisher-Yates
        state = splitmix64(state);
        const auto j = static_cast<std::int64_t>(state % static_cast<std::uint64_t>(i + 1));
        std::swap(order[static_cast<std::size_t>(i)], order[static_cast<std::size_t>(j)]);
    }
    return order;
}

BatchPlan::Placement BatchPlan::placement(std::int64_t epoch, std::int64_t image) const {
    std::uint64_t h = splitmix64(seed_ ^ kAugmentSalt) ^
                      splitmix64(static_cast<std::uint64_t>(epoch) * 0x10001ULL + static_cast<std::uint64_t>(image));
    h = splitmix64(h);
    Placement p;
    p.flip = flip_ && (h & 1u);
    p.x0 = p.y0 = (source_size_ - crop_size_) / 2;
    if (random_crop_ && source_size_ > crop_size_) {
        const auto positions = static_cast<std::uint64_t>(source_size_ - crop_size_ + 1);
        p.x0 = static_cast<int>((h >> 8) % positions);
        p.y0 = static_cast<int>((h >> 32) % positions);
    }
    return p;
}

} // namespace latentlab
