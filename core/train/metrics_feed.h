// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>
#include <deque>
#include <optional>
#include <vector>

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <c10/core/Event.h>

#include "train/metrics.h"

namespace latentlab {

// Carries each iteration's scalars (GanStep::launch) from the device to the
// host without stalling the device. On the CPU they are read at once. On CUDA
// they are gathered on the device and copied in one non-blocking transfer
// into page-locked memory every `read_every` iterations or `read_seconds`
// seconds, whichever comes first, and an iteration's metrics come out once
// an event says its copy has landed: the host never waits for the GPU
// except in drain().
class MetricsFeed {
public:
    explicit MetricsFeed(c10::Device device, int read_every = 32, double read_seconds = 0.25);

    // An iteration: `scalars` ([kStepScalars] double on the device, plus any
    // extra flags, see below) and the fields the host already knows (counters,
    // times, learning rates). `others_finite` ([] bool on the device, or
    // undefined) says whether the other pairs' losses were finite too.
    void push(const at::Tensor& scalars, const at::Tensor& others_finite, const IterationMetrics& host_fields);
    // The iterations whose scalars have arrived, oldest first; never waits.
    std::vector<IterationMetrics> ready();
    // Every iteration pushed so far, waiting for the copies.
    std::vector<IterationMetrics> drain();
    // Iterations pushed and not yet returned.
    std::size_t pending() const;

private:
    struct Transfer {
        at::Tensor host;                       // [n, kStepScalars + 1] double, page-locked on CUDA
        std::optional<c10::Event> landed;      // recorded after the copy (CUDA)
        std::vector<IterationMetrics> fields;  // the host-side fields, one per row
    };
    void send();
    static void unpack(Transfer& t, std::vector<IterationMetrics>& out);

    c10::Device device_;
    int read_every_;
    double read_seconds_;
    std::vector<at::Tensor> gathered_;
    std::vector<IterationMetrics> gathered_fields_;
    std::chrono::steady_clock::time_point last_send_;
    std::deque<Transfer> in_flight_;
};

} // namespace latentlab
