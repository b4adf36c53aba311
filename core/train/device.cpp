// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/device.h"

#include <cstdlib>
#include <thread>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <ATen/cpu/Utils.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include "common/cuda_backend.h"
#include "common/error.h"

namespace latentlab {

c10::Device resolve_device(const std::string& spec) {
    if (spec == "auto") return torch::cuda::is_available() ? c10::Device(c10::kCUDA, 0) : c10::Device(c10::kCPU);
    if (spec == "cpu") return c10::Device(c10::kCPU);
    if (spec == "cuda" || spec.rfind("cuda:", 0) == 0) {
        int index = 0;
        if (spec.size() > 5) {
            const std::string digits = spec.substr(5);
            if (digits.empty() || digits.size() > 3 || digits.find_first_not_of("0123456789") != std::string::npos)
                throw Error("device '" + spec + "' is malformed (use auto, cpu, cuda or cuda:N)");
            index = std::stoi(digits);
        }
        if (!load_cuda_backend().loaded)
            throw Error("device '" + spec + "': this LatentLab has no CUDA support installed (the latentlab-cuda "
                        "package): " + load_cuda_backend().detail);
        if (!torch::cuda::is_available()) throw Error("device '" + spec + "': no CUDA device is available");
        const auto count = static_cast<int>(torch::cuda::device_count());
        if (index >= count)
            throw Error("device '" + spec + "': only " + std::to_string(count) + " CUDA device(s) found");
        return c10::Device(c10::kCUDA, static_cast<c10::DeviceIndex>(index));
    }
    throw Error("device '" + spec + "' is not known (use auto, cpu, cuda or cuda:N)");
}

int configure_cpu_threads(int threads) {
    if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
#if defined(__SANITIZE_THREAD__)
    // ThreadSanitizer build (the tsan preset): LibTorch's OpenMP workers are
    // not instrumented, so TSan cannot see the barriers that hand them their
    // work and reports every parallel kernel. One thread runs the kernels on
    // the caller, and what TSan reports is LatentLab's own threads.
    threads = 1;
#endif
    // OpenBLAS and MKL read these when their pools start; LibTorch's own
    // setter covers OpenMP and MKL once they have started.
    const std::string count = std::to_string(threads);
    setenv("OPENBLAS_NUM_THREADS", "1", 0);
    setenv("MKL_NUM_THREADS", count.c_str(), 0);
    at::set_num_threads(threads);
    return threads;
}

void tune_host_allocator() {
#if defined(__GLIBC__)
    // Blocks up to 32 MiB (glibc's largest mmap threshold) come from the heap,
    // and the heap is never trimmed back to the system while training runs.
    constexpr int kMmapThreshold = 32 * 1024 * 1024;
    constexpr int kNeverTrim = 0x7fffffff;
    mallopt(M_MMAP_THRESHOLD, kMmapThreshold);
    mallopt(M_TRIM_THRESHOLD, kNeverTrim);
#endif
}

void prepare_device(c10::Device device) {
    if (device.is_cuda()) at::globalContext().setBenchmarkCuDNN(true);
}

std::string describe_device(c10::Device device) {
    if (device.is_cpu()) return "cpu (" + std::to_string(at::get_num_threads()) + " threads)";
    return device.str();
}

std::string libtorch_version() { return TORCH_VERSION; }

bool cpu_has_bf16_units() {
    static const bool has = [] {
        const auto caps = at::cpu::get_cpu_capabilities();
        const auto flag = [&](const char* name) {
            const auto it = caps.find(name);
            return it != caps.end() && it->second.isBool() && it->second.toBool();
        };
        return flag("avx512_bf16") || flag("amx_bf16");
    }();
    return has;
}

bool uses_bf16(const std::string& precision, c10::Device device) {
    if (precision == "bf16") return true;
    if (precision == "auto") return device.is_cpu() && cpu_has_bf16_units();
    return false;
}

std::vector<DeviceChoice> available_devices() {
    std::vector<DeviceChoice> out{{"cpu", "CPU (" + std::to_string(std::max(1u, std::thread::hardware_concurrency())) + " cores)"}};
    if (torch::cuda::is_available()) {
        const auto count = static_cast<std::size_t>(torch::cuda::device_count());
        for (std::size_t i = 0; i < count; ++i) {
            const std::string spec = "cuda:" + std::to_string(i);
            out.push_back({spec, "CUDA " + std::to_string(i)});
        }
    }
    return out;
}

} // namespace latentlab
