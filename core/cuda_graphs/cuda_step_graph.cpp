// SPDX-License-Identifier: GPL-3.0-or-later
// The CUDA graphs plugin (train/step_graph.h): linked against LibTorch's CUDA
// half, loaded by the programs only when they train on CUDA with graphs on.
#include <ATen/autocast_mode.h>
#include <ATen/cuda/CUDAEvent.h>
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

#include "train/step_graph.h"

namespace latentlab {
namespace {

// Autocast's cache of down-cast weights must not outlive a capture (the
// cached copies would live in the graph's memory), so it is off while one runs.
class NoAutocastCache {
public:
    NoAutocastCache() : previous_(at::autocast::is_autocast_cache_enabled()) {
        at::autocast::set_autocast_cache_enabled(false);
    }
    ~NoAutocastCache() { at::autocast::set_autocast_cache_enabled(previous_); }
    NoAutocastCache(const NoAutocastCache&) = delete;
    NoAutocastCache& operator=(const NoAutocastCache&) = delete;

private:
    bool previous_;
};

class CudaStepGraph final : public StepGraph {
public:
    explicit CudaStepGraph(int index) : index_(static_cast<c10::DeviceIndex>(index)) {}

    at::Tensor capture(const std::function<at::Tensor()>& body, const at::Generator& rng,
                       at::Tensor& warmup_output) override {
        const c10::cuda::CUDAGuard device(index_);
        const c10::cuda::CUDAStream main = c10::cuda::getCurrentCUDAStream(index_);
        const c10::cuda::CUDAStream side = c10::cuda::getStreamFromPool(/*isHighPriority=*/false, index_);
        // The side stream starts after what the main stream has queued
        // (the staged batch) and the main stream goes on after the side
        // stream's work, the real run included.
        at::cuda::CUDAEvent staged;
        staged.record(main);
        staged.block(side);
        at::Tensor recorded;
        {
            const c10::cuda::CUDAStreamGuard on_side(side);
            warmup_output = body();
            const NoAutocastCache no_cache;
            graph_.register_generator_state(rng);
            // Thread-local: the loader's threads go on allocating page-locked
            // batches while this thread records, which global mode forbids.
            graph_.capture_begin({0, 0}, cudaStreamCaptureModeThreadLocal);
            try {
                recorded = body();
            } catch (...) {
                try {
                    graph_.capture_end();
                } catch (...) {
                    // The capture is already broken; the first error says why.
                }
                throw;
            }
            graph_.capture_end();
        }
        at::cuda::CUDAEvent done;
        done.record(side);
        done.block(main);
        return recorded;
    }

    void replay() override {
        const c10::cuda::CUDAGuard device(index_);
        graph_.replay();
    }

private:
    c10::DeviceIndex index_;
    at::cuda::CUDAGraph graph_;
};

} // namespace
} // namespace latentlab

extern "C" __attribute__((visibility("default"))) latentlab::StepGraph* latentlab_new_cuda_step_graph(int index) {
    return new latentlab::CudaStepGraph(index);
}
