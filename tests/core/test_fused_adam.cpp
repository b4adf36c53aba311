// SPDX-License-Identifier: GPL-3.0-or-later
#include <QtTest/QtTest>

#include <torch/torch.h>

#include "common/error.h"
#include "train/fused_adam.h"

using namespace latentlab;

namespace {

// A small model and the same gradients for every optimizer under test.
struct Fixture {
    Fixture() {
        torch::manual_seed(3);
        model = torch::nn::Linear(5, 3);
    }
    void set_gradients(int step) {
        torch::manual_seed(100 + step);
        for (auto& p : model->parameters()) p.mutable_grad() = torch::randn_like(p);
    }
    // Steps [first, end) of the fused optimizer, each with that step's gradients.
    void fused_steps(FusedAdam& adam, int first, int end) {
        for (int step = first; step < end; ++step) {
            set_gradients(step);
            adam.step();
            adam.count_step();
        }
    }
    torch::nn::Linear model{nullptr};
};

double max_difference(torch::nn::Module& a, torch::nn::Module& b) {
    double worst = 0;
    const auto pa = a.parameters(), pb = b.parameters();
    for (std::size_t i = 0; i < pa.size(); ++i) worst = std::max(worst, (pa[i] - pb[i]).abs().max().item<double>());
    return worst;
}

std::int64_t host_step(torch::optim::Adam& adam, const at::Tensor& p) {
    return static_cast<torch::optim::AdamParamState&>(*adam.state().at(p.unsafeGetTensorImpl())).step();
}

} // namespace

class TestFusedAdam : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // The fused step follows torch::optim::Adam's update within float
    // rounding, keeps the optimizer's moments (so its checkpoints hold them)
    // and its step counts.
    void matches_the_optimizer_it_wraps() {
        Fixture plain, fused;
        const auto options = torch::optim::AdamOptions(2e-4).betas({0.5, 0.999});
        torch::optim::Adam adam_plain(plain.model->parameters(), options);
        torch::optim::Adam adam_fused(fused.model->parameters(), options);
        FusedAdam fused_step(adam_fused);
        for (int step = 0; step < 20; ++step) {
            plain.set_gradients(step);
            fused.set_gradients(step);
            adam_plain.step();
            fused_step.step();
            fused_step.count_step();
        }
        const double moved = (plain.model->weight - Fixture().model->weight).abs().max().item<double>();
        QVERIFY(moved > 1e-3);
        QVERIFY2(max_difference(*plain.model, *fused.model) < 1e-6 * 20,
                 qPrintable(QString::number(max_difference(*plain.model, *fused.model))));
        const auto plain_params = plain.model->parameters(), fused_params = fused.model->parameters();
        for (std::size_t i = 0; i < plain_params.size(); ++i) {
            const at::Tensor& p = fused_params[i];
            QCOMPARE(host_step(adam_fused, p), std::int64_t(20));
            QCOMPARE(host_step(adam_plain, plain_params[i]), std::int64_t(20));
            const auto& a = static_cast<torch::optim::AdamParamState&>(
                *adam_plain.state().at(plain_params[i].unsafeGetTensorImpl()));
            const auto& b = static_cast<torch::optim::AdamParamState&>(*adam_fused.state().at(p.unsafeGetTensorImpl()));
            QVERIFY((a.exp_avg() - b.exp_avg()).abs().max().item<double>() < 1e-6);
            QVERIFY((a.exp_avg_sq() - b.exp_avg_sq()).abs().max().item<double>() < 1e-6);
        }
    }

    // A learning rate written to its tensor applies from the next step; 0
    // leaves the weights where they are.
    void the_learning_rate_is_read_from_its_tensor() {
        Fixture f;
        torch::optim::Adam adam(f.model->parameters(), torch::optim::AdamOptions(1e-2));
        FusedAdam step(adam);
        step.set_lr(0.0);
        const at::Tensor before = f.model->weight.detach().clone();
        f.set_gradients(0);
        step.step();
        QCOMPARE((f.model->weight - before).abs().max().item<double>(), 0.0);
        step.set_lr(1e-2);
        f.set_gradients(1);
        step.step();
        QVERIFY((f.model->weight - before).abs().max().item<double>() > 1e-3);
    }

    // A parameter without a gradient would leave its step count behind the
    // host's: the step refuses it and changes nothing.
    void every_parameter_needs_a_gradient() {
        Fixture f;
        torch::optim::Adam adam(f.model->parameters(), torch::optim::AdamOptions(1e-2));
        FusedAdam step(adam);
        f.set_gradients(0);
        f.model->bias.mutable_grad() = at::Tensor();
        const at::Tensor before = f.model->weight.detach().clone();
        bool refused = false;
        try {
            step.step();
        } catch (const Error& e) {
            refused = QString(e.what()).contains("needs a gradient for every parameter");
        }
        QVERIFY(refused);
        QCOMPARE((f.model->weight - before).abs().max().item<double>(), 0.0);
    }

    // A run that stops, saves the optimizer and goes on in a fresh one
    // continues where it was: the reloaded step counts set Adam's bias
    // correction, so the weights match an uninterrupted run.
    void reload_continues_from_a_saved_optimizer() {
        Fixture whole, split;
        const auto options = torch::optim::AdamOptions(1e-3).betas({0.5, 0.999});
        torch::optim::Adam adam_whole(whole.model->parameters(), options);
        FusedAdam step_whole(adam_whole);
        whole.fused_steps(step_whole, 0, 6);
        std::stringstream saved;
        {
            torch::optim::Adam adam_first(split.model->parameters(), options);
            FusedAdam first(adam_first);
            split.fused_steps(first, 0, 3);
            torch::serialize::OutputArchive archive;
            adam_first.save(archive);
            archive.save_to(saved);
        }
        torch::optim::Adam adam_second(split.model->parameters(), options);
        torch::serialize::InputArchive archive;
        archive.load_from(saved);
        adam_second.load(archive);
        FusedAdam second(adam_second);
        split.fused_steps(second, 3, 6);
        QVERIFY2(max_difference(*whole.model, *split.model) < 1e-7,
                 qPrintable(QString::number(max_difference(*whole.model, *split.model))));
    }
};

QTEST_GUILESS_MAIN(TestFusedAdam)
#include "test_fused_adam.moc"
