// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace latentlab {

// What every LatentLab program does once, first thing in main(): loads the
// optional CUDA backend (common/cuda_backend.h) before anything asks LibTorch
// about CUDA, and keeps freed host memory in the process (tune_host_allocator
// in train/device.h). Thread counts and seeds belong to each run.
void setup_process();

} // namespace latentlab
