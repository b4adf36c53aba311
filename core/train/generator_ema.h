// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>

#include "models/generator.h"

namespace latentlab {

// An exponential moving average of a generator's weights (Yazici et al.
// 2019): samples drawn with the average are smoother and more stable than
// with the weights that are still being trained. The batch-norm running
// statistics are averaged the same way; the batch counter is copied.
class GeneratorEma {
public:
    // Starts as a copy of `source` (same config, same device).
    explicit GeneratorEma(const Generator& source);

    // average = decay x average + (1 - decay) x source, for every weight.
    // decay 0 copies the source; decay 1 leaves the average unchanged.
    void update(const Generator& source, double decay);

    // The decay for one step of `batch_images` after `images_seen` images,
    // when a weight should count half after `halflife` images. The half-life
    // ramps up from 0 over the first images (at most `rampup` x the images
    // seen; 0 turns the ramp off), so the random initial weights leave the
    // average quickly.
    static double decay_for(double halflife, double rampup, std::int64_t batch_images, std::int64_t images_seen);

    Generator& average() { return average_; }
    const Generator& average() const { return average_; }

private:
    Generator average_{nullptr};
};

} // namespace latentlab
