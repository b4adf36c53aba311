// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <vector>

#include <c10/core/Device.h>

namespace latentlab {

// "auto" (CUDA when available, else CPU), "cpu", "cuda" or "cuda:N".
// Throws latentlab::Error naming the value when it is malformed or names a
// CUDA device that is not there.
c10::Device resolve_device(const std::string& spec);

// Sets LibTorch's intra-op threads (0 = one per core) and keeps the BLAS and
// OpenMP pools at the same count, so that they never multiply into more
// threads than cores. Returns the thread count used.
int configure_cpu_threads(int threads);

// Keeps freed host memory in the process instead of returning it to the
// system after every iteration: training allocates and frees the same large
// activation buffers each step, and fresh pages from the kernel cost page
// faults (measured: +15% images/s on CPU; see docs/PERFORMANCE.md).
void tune_host_allocator();

// One-time device set-up: cuDNN autotuning on CUDA.
void prepare_device(c10::Device device);

// e.g. "cpu (2 threads)" or "cuda:0 (NVIDIA H200)".
std::string describe_device(c10::Device device);

std::string libtorch_version();

// Whether this CPU has bfloat16 units (AVX512-BF16 or AMX-BF16).
bool cpu_has_bf16_units();

// Whether a run's `precision` ("auto", "fp32" or "bf16") means bfloat16
// autocast on `device`. "auto" picks it on a CPU with bfloat16 units, where it
// trains 1.3 to 2 times as fast (docs/QUALITY.md), and float32 elsewhere (CUDA
// included, until a GPU has measured it).
bool uses_bf16(const std::string& precision, c10::Device device);

// The devices this machine can train on: {"cpu", "CPU (2 cores)"}, then
// {"cuda:N", "CUDA N: <name>"} for each GPU.
struct DeviceChoice {
    std::string spec, description;
};
std::vector<DeviceChoice> available_devices();

} // namespace latentlab
