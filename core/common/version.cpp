// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/version.h"

#include "common/cuda_backend.h"
#include "latentlab_version.h"
#include "train/device.h"

namespace latentlab {

std::string version_details() {
    return std::string(LATENTLAB_VERSION) + " (commit " + LATENTLAB_GIT_COMMIT + ", LibTorch " + libtorch_version() + ", " +
           describe_cuda_backend() + ")";
}

} // namespace latentlab
