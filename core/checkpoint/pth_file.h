// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

#include "checkpoint/safetensors.h"

namespace latentlab {

// Reads a PyTorch state_dict file written by `torch.save(model.state_dict(), f)`:
// a zip holding `data.pkl` (a pickled OrderedDict of name -> tensor) and one
// record per tensor storage. Returns the tensors (CPU, contiguous) in the
// file's order.
//
// The pickle is read by LatentLab's own restricted reader, which builds only
// None, numbers, strings, tuples, lists, dicts and tensors: the only callables
// it accepts are collections.OrderedDict, torch._utils._rebuild_tensor_v2 and
// torch._utils._rebuild_parameter, so a file cannot run code (as Python's
// torch.load(weights_only=True)). Every length, memo index, storage size and
// tensor view is checked against what the file holds before use. A full
// module pickled with torch.save(model) is refused with a message saying to
// save its state_dict. Throws latentlab::Error "<path>: <reason>".
NamedTensors read_pth_state_dict(const std::string& path);

} // namespace latentlab
