// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/batch_upload.h"

#include <c10/core/StreamGuard.h>
#include <c10/core/impl/VirtualGuardImpl.h>

#include "data/device_batches.h"

namespace latentlab {

BatchUpload::BatchUpload(c10::Device device) : device_(device) {
    if (!device_.is_cuda()) return;
    const c10::impl::VirtualGuardImpl guard(device_.type());
    copy_stream_ = guard.getStreamFromGlobalPool(device_);
    copied_.emplace(device_.type());
}

at::Tensor BatchUpload::operator()(const at::Tensor& batch) {
    if (batch.scalar_type() != at::kByte) return batch;
    if (!copy_stream_) return to_training_range(batch.to(device_));
    const c10::impl::VirtualGuardImpl guard(device_.type());
    const c10::Stream training = guard.getStream(device_);
    at::Tensor bytes;
    {
        const c10::StreamGuard on_copy_stream(*copy_stream_);
        bytes = batch.to(device_, /*non_blocking=*/true);
    }
    copied_->record(*copy_stream_);
    copied_->block(training);
    // Allocated for the copy stream, read on the training stream: the
    // allocator must not hand the memory out again before that read is done.
    bytes.record_stream(training);
    return to_training_range(bytes);
}

} // namespace latentlab
