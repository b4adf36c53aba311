// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/cuda_backend.h"

#include <dlfcn.h>

namespace latentlab {

const CudaBackend& load_cuda_backend() {
    static const CudaBackend backend = [] {
        CudaBackend b;
        // Searched on the program's RUNPATH (the package's private library
        // folder); the handle stays open for the life of the process.
        if (dlopen("libtorch_cuda.so", RTLD_NOW | RTLD_GLOBAL) != nullptr) {
            b.loaded = true;
        } else {
            const char* message = dlerror();
            b.detail = message ? message : "libtorch_cuda.so could not be loaded";
        }
        return b;
    }();
    return backend;
}

std::string describe_cuda_backend() {
    const CudaBackend& b = load_cuda_backend();
    if (b.loaded) return "CUDA support installed";
    return "CPU only (CUDA support not installed: " + b.detail + ")";
}

} // namespace latentlab
