// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

namespace latentlab {

// A training iteration's device work recorded once and then replayed with a
// single launch: a CUDA graph. The programs load LibTorch's CUDA half at run
// time (common/cuda_backend.h) and do not link it, so the code that uses
// at::cuda::CUDAGraph lives in a plugin, liblatentlab_cuda_graphs.so, built
// and installed beside LibTorch's CUDA libraries; make_step_graph() loads it.
class StepGraph {
public:
    virtual ~StepGraph() = default;

    // Runs `body` once for real on a side stream (the iteration at hand, and
    // the warm-up a capture needs), then records it without running it.
    // `warmup_output` is set to what the real run returned as soon as it
    // has returned, so that a caller whose capture fails knows whether the
    // iteration was done. Returns the recorded run's output tensor, which
    // every replay() overwrites. `rng` (a CUDA generator that `body` draws
    // from) is registered, so every replay draws new numbers from it and
    // advances it. Throws when the capture fails.
    virtual at::Tensor capture(const std::function<at::Tensor()>& body, const at::Generator& rng,
                               at::Tensor& warmup_output) = 0;
    // Runs the recorded work again on the current stream.
    virtual void replay() = 0;
};

// A new, empty graph for `device` from the plugin; nullptr with `why` set
// when there is none (not a CUDA device, or the plugin is not installed).
std::unique_ptr<StepGraph> make_step_graph(c10::Device device, std::string& why);

// The plugin's entry point (extern "C"): a new graph on CUDA device `index`.
using MakeStepGraphFunction = StepGraph* (*)(int index);
inline constexpr const char* kStepGraphPlugin = "liblatentlab_cuda_graphs.so";
inline constexpr const char* kStepGraphEntry = "latentlab_new_cuda_step_graph";

} // namespace latentlab
