// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/generator_ema.h"

#include <algorithm>
#include <cmath>

#include <torch/utils.h>

namespace latentlab {

GeneratorEma::GeneratorEma(const Generator& source) : average_(Generator(source->config())) {
    average_->to(source->parameters().front().device());
    update(source, 0.0);
    average_->train(source->is_training());
}

void GeneratorEma::update(const Generator& source, double decay) {
    torch::NoGradGuard no_grad;
    const auto from = source->named_parameters(), to = average_->named_parameters();
    for (const auto& p : from) {
        at::Tensor target = to[p.key()];
        if (target.suggest_memory_format() != p.value().suggest_memory_format())
            target.set_data(target.contiguous(p.value().suggest_memory_format()));
        target.lerp_(p.value(), 1.0 - decay);
    }
    const auto from_buffers = source->named_buffers(), to_buffers = average_->named_buffers();
    for (const auto& b : from_buffers) {
        at::Tensor target = to_buffers[b.key()];
        if (b.value().is_floating_point()) target.lerp_(b.value(), 1.0 - decay);
        else target.copy_(b.value());
    }
}

double GeneratorEma::decay_for(double halflife, double rampup, std::int64_t batch_images, std::int64_t images_seen) {
    const double h = rampup > 0.0 ? std::min(halflife, rampup * static_cast<double>(images_seen)) : halflife;
    if (h <= 0.0) return 0.0;
    return std::pow(0.5, static_cast<double>(batch_images) / h);
}

} // namespace latentlab
