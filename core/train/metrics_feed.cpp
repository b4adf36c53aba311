// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/metrics_feed.h"

#include <c10/core/impl/VirtualGuardImpl.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/ones.h>
#include <ATen/ops/stack.h>

#include "train/gan_step.h"

namespace latentlab {

MetricsFeed::MetricsFeed(c10::Device device, int read_every, double read_seconds)
    : device_(device), read_every_(read_every < 1 ? 1 : read_every), read_seconds_(read_seconds),
      last_send_(std::chrono::steady_clock::now()) {}

void MetricsFeed::push(const at::Tensor& scalars, const at::Tensor& others_finite,
                       const IterationMetrics& host_fields) {
    const at::Tensor flag = others_finite.defined() ? others_finite.to(at::kDouble).reshape({1})
                                                    : at::ones({1}, scalars.options());
    gathered_.push_back(at::cat({scalars.reshape({kStepScalars}), flag}));
    gathered_fields_.push_back(host_fields);
    const double since = std::chrono::duration<double>(std::chrono::steady_clock::now() - last_send_).count();
    if (device_.is_cpu() || static_cast<int>(gathered_.size()) >= read_every_ || since >= read_seconds_) send();
}

void MetricsFeed::send() {
    if (gathered_.empty()) return;
    Transfer t;
    const at::Tensor rows = at::stack(gathered_);
    if (device_.is_cpu()) {
        t.host = rows;
    } else {
        t.host = at::empty(rows.sizes(), at::TensorOptions().dtype(at::kDouble).pinned_memory(true));
        t.host.copy_(rows, /*non_blocking=*/true);
        const c10::impl::VirtualGuardImpl guard(device_.type());
        t.landed.emplace(device_.type());
        t.landed->record(guard.getStream(device_));
    }
    t.fields = std::move(gathered_fields_);
    gathered_.clear();
    gathered_fields_.clear();
    in_flight_.push_back(std::move(t));
    last_send_ = std::chrono::steady_clock::now();
}

void MetricsFeed::unpack(Transfer& t, std::vector<IterationMetrics>& out) {
    const at::Tensor host = t.host.contiguous();
    const double* row = host.data_ptr<double>();
    for (auto& m : t.fields) {
        read_step_scalars(row, m);
        m.finite = m.finite && row[kStepScalars] != 0.0;
        out.push_back(m);
        row += kStepScalars + 1;
    }
}

std::vector<IterationMetrics> MetricsFeed::ready() {
    std::vector<IterationMetrics> out;
    while (!in_flight_.empty() && (!in_flight_.front().landed || in_flight_.front().landed->query())) {
        unpack(in_flight_.front(), out);
        in_flight_.pop_front();
    }
    return out;
}

std::vector<IterationMetrics> MetricsFeed::drain() {
    send();
    std::vector<IterationMetrics> out;
    for (auto& t : in_flight_) {
        if (t.landed) t.landed->synchronize();
        unpack(t, out);
    }
    in_flight_.clear();
    return out;
}

std::size_t MetricsFeed::pending() const {
    std::size_t n = gathered_fields_.size();
    for (const auto& t : in_flight_) n += t.fields.size();
    return n;
}

} // namespace latentlab
