// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <vector>

#include <ATen/core/Tensor.h>
#include <torch/optim/adam.h>

namespace latentlab {

// Adam's update for all of an optimizer's parameters at once, in LibTorch's
// fused kernel (at::_fused_adam_), with the learning rate and the step counts
// in tensors on the parameters' device. Nothing in step() reads a host value
// that changes from one iteration to the next, so a CUDA graph can capture it
// and replay it (StepGraph); the learning rate changes by writing its tensor.
//
// The torch::optim::Adam stays the owner of the moments, which checkpoints
// save and load as before: step() updates its state tensors in place, and
// count_step() keeps its (host) step counts in line. After the optimizer's
// state is replaced (a checkpoint loaded), call reload(). The update is
// Adam's (no weight decay, no AMSGrad), equal to torch::optim::Adam's within
// float rounding, not bitwise.
class FusedAdam {
public:
    explicit FusedAdam(torch::optim::Adam& adam);

    // One update from the parameters' current gradients (every parameter
    // must have one, so that every step count moves together with the
    // host's in count_step()): the step counts go up by one on the device first.
    void step();
    // The host's step counts up by one; after step(), or after a replay of a
    // captured step(), outside the capture.
    void count_step();
    // Re-reads the optimizer's state (moments and step counts) and its
    // learning rate, creating the state it does not have yet.
    void reload();
    // The learning rate step() uses from now on (a device write, no sync).
    void set_lr(double lr);

private:
    torch::optim::Adam& adam_;
    std::vector<at::Tensor> params_, exp_avgs_, exp_avg_sqs_, steps_;
    at::Tensor lr_;
};

} // namespace latentlab
