// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <vector>

namespace latentlab {

struct BatchLoaderOptions;

// Training pixels are byte * kPixelScale - 1, in [-1, 1], wherever they are made.
inline constexpr float kPixelScale = 1.0f / 127.5f;

// Which image goes where in each epoch, and how it is cropped and flipped:
// the order is a permutation drawn from (seed, epoch), every crop and flip
// from (seed, epoch, image). So batch b of epoch e depends only on (seed, e,
// b), whoever assembles it and however many threads do.
class BatchPlan {
public:
    // `count` images of `source_size` px, cropped to options.crop_size. Throws
    // latentlab::Error when they cannot make one batch (none, too small for
    // the crop, fewer than a batch).
    BatchPlan(const BatchLoaderOptions& options, std::int64_t count, int source_size);

    std::int64_t batches_per_epoch() const { return batches_; }  // the last partial batch is dropped
    std::vector<std::int64_t> epoch_order(std::int64_t epoch) const;

    struct Placement {
        int x0 = 0, y0 = 0;  // the crop's top-left corner in the source image
        bool flip = false;   // mirrored left to right
    };
    Placement placement(std::int64_t epoch, std::int64_t image) const;

private:
    std::uint64_t seed_;
    std::int64_t count_, batches_;
    int source_size_, crop_size_;
    bool random_crop_, flip_;
};

} // namespace latentlab
