// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/step_graph.h"

#include <dlfcn.h>

#include <string>

#include "common/cuda_backend.h"

namespace latentlab {

std::unique_ptr<StepGraph> make_step_graph(c10::Device device, std::string& why) {
    if (!device.is_cuda()) {
        why = "CUDA graphs need a CUDA device (training runs on " + device.str() + ")";
        return nullptr;
    }
    if (!load_cuda_backend().loaded) {
        why = "CUDA graphs need LibTorch's CUDA libraries: " + load_cuda_backend().detail;
        return nullptr;
    }
    // Found on the program's RUNPATH: LibTorch's folder in a build tree, the
    // package's private library folder once installed.
    struct Plugin {
        void* handle = nullptr;
        std::string error;
    };
    static const Plugin plugin = [] {
        Plugin p;
        p.handle = dlopen(kStepGraphPlugin, RTLD_NOW | RTLD_LOCAL);
        if (!p.handle) {
            const char* message = dlerror();
            p.error = message ? message : "not found";
        }
        return p;
    }();
    if (!plugin.handle) {
        why = "the CUDA graphs plugin could not be loaded (" + plugin.error + ")";
        return nullptr;
    }
    const auto make = reinterpret_cast<MakeStepGraphFunction>(dlsym(plugin.handle, kStepGraphEntry));
    if (!make) {
        why = std::string(kStepGraphPlugin) + " has no " + kStepGraphEntry;
        return nullptr;
    }
    return std::unique_ptr<StepGraph>(make(device.has_index() ? device.index() : 0));
}

} // namespace latentlab
