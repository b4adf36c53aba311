// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/process_setup.h"

#include "common/cuda_backend.h"
#include "train/device.h"

namespace latentlab {

void setup_process() {
    load_cuda_backend();
    tune_host_allocator();
}

} // namespace latentlab
