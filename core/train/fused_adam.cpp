// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/fused_adam.h"

#include <ATen/ops/_foreach_add.h>
#include <ATen/ops/_fused_adam.h>
#include <ATen/ops/empty_like.h>
#include <ATen/ops/full.h>
#include <ATen/ops/zeros_like.h>
#include <torch/autograd.h>

#include "common/error.h"

namespace latentlab {
namespace {

torch::optim::AdamOptions& options_of(torch::optim::Adam& adam) {
    return static_cast<torch::optim::AdamOptions&>(adam.param_groups().at(0).options());
}

} // namespace

FusedAdam::FusedAdam(torch::optim::Adam& adam) : adam_(adam) { reload(); }

void FusedAdam::reload() {
    const auto& o = options_of(adam_);
    if (o.weight_decay() != 0.0 || o.amsgrad())
        throw Error("the fused Adam step has no weight decay and no AMSGrad");
    params_.clear();
    exp_avgs_.clear();
    exp_avg_sqs_.clear();
    steps_.clear();
    torch::NoGradGuard no_grad;
    for (const at::Tensor& p : adam_.param_groups().at(0).params()) {
        auto& slot = adam_.state()[p.unsafeGetTensorImpl()];
        if (!slot) {
            auto fresh = std::make_unique<torch::optim::AdamParamState>();
            fresh->exp_avg(at::zeros_like(p, at::MemoryFormat::Preserve));
            fresh->exp_avg_sq(at::zeros_like(p, at::MemoryFormat::Preserve));
            slot = std::move(fresh);
        }
        auto& state = static_cast<torch::optim::AdamParamState&>(*slot);
        // The fused kernel walks a parameter, its gradient and its moments as
        // flat memory, so the moments take the parameter's layout (a
        // checkpoint's are contiguous, a channels-last weight is not).
        const auto laid_out_like_p = [&](const at::Tensor& moment) {
            return moment.strides() == p.strides() ? moment : at::empty_like(p, at::MemoryFormat::Preserve).copy_(moment);
        };
        state.exp_avg(laid_out_like_p(state.exp_avg()));
        state.exp_avg_sq(laid_out_like_p(state.exp_avg_sq()));
        params_.push_back(p);
        exp_avgs_.push_back(state.exp_avg());
        exp_avg_sqs_.push_back(state.exp_avg_sq());
        steps_.push_back(at::full({}, static_cast<double>(state.step()), p.options().dtype(at::kFloat)));
    }
    // Float32 on the parameters' device: what the CUDA kernel reads without a transfer.
    lr_ = at::full({}, o.lr(), params_.empty() ? at::TensorOptions(at::kFloat) : params_.front().options().dtype(at::kFloat));
}

void FusedAdam::set_lr(double lr) { lr_.fill_(lr); }

void FusedAdam::step() {
    torch::NoGradGuard no_grad;
    std::vector<at::Tensor> grads;
    for (const at::Tensor& p : params_) {
        if (!p.grad().defined()) throw Error("the fused Adam step needs a gradient for every parameter");
        grads.push_back(p.grad());
    }
    if (params_.empty()) return;
    const auto& o = options_of(adam_);
    at::_foreach_add_(steps_, 1.0);
    at::_fused_adam_(params_, grads, exp_avgs_, exp_avg_sqs_, {}, steps_, lr_, std::get<0>(o.betas()),
                     std::get<1>(o.betas()), 0.0, o.eps(), /*amsgrad=*/false, /*maximize=*/false);
}

void FusedAdam::count_step() {
    for (const at::Tensor& p : params_) {
        auto& state = static_cast<torch::optim::AdamParamState&>(*adam_.state().at(p.unsafeGetTensorImpl()));
        state.step(state.step() + 1);
    }
}

} // namespace latentlab
