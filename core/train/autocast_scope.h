// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <ATen/autocast_mode.h>
#include <c10/core/DeviceType.h>

namespace latentlab {

// Within its lifetime, when enabled, LibTorch's autocast runs the operations
// it lists as safe in lower precision (convolutions, matrix products) in
// bfloat16 on `device`, and the precision-sensitive ones (the losses, the
// normalisations' statistics) in float32; the weights stay float32. Restores
// the previous autocast state when it ends.
class AutocastScope {
public:
    AutocastScope(c10::DeviceType device, bool enabled) : device_(device), enabled_(enabled) {
        if (!enabled_) return;
        previous_ = at::autocast::is_autocast_enabled(device_);
        previous_dtype_ = at::autocast::get_autocast_dtype(device_);
        at::autocast::set_autocast_enabled(device_, true);
        at::autocast::set_autocast_dtype(device_, at::kBFloat16);
        at::autocast::increment_nesting();
    }
    ~AutocastScope() {
        if (!enabled_) return;
        if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
        at::autocast::set_autocast_enabled(device_, previous_);
        at::autocast::set_autocast_dtype(device_, previous_dtype_);
    }
    AutocastScope(const AutocastScope&) = delete;
    AutocastScope& operator=(const AutocastScope&) = delete;

private:
    c10::DeviceType device_;
    bool enabled_;
    bool previous_ = false;
    at::ScalarType previous_dtype_ = at::kFloat;
};

} // namespace latentlab
