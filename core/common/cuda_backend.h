// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace latentlab {

// LibTorch's CUDA half (libtorch_cuda.so with NVIDIA's libraries) is a few
// gigabytes, so the installed package keeps it in an optional second package
// and the programs do not link it: they load it at start-up when it is there.
// In a build tree the programs link it and loading finds it already there.
struct CudaBackend {
    bool loaded = false;
    std::string detail;  // why not, when not loaded (the loader's message)
};

// Loads libtorch_cuda.so (once; later calls return the first result). Must
// run before anything asks LibTorch about CUDA: LibTorch decides on its first
// CUDA query whether CUDA exists and keeps that answer.
const CudaBackend& load_cuda_backend();

// "CUDA support installed" or "CPU only (CUDA support not installed: ...)".
std::string describe_cuda_backend();

} // namespace latentlab
