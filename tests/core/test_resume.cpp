// SPDX-License-Identifier: GPL-3.0-or-later
// Exact resume: a run stopped after a checkpoint and resumed ends with the
// same weights, bit for bit, as the run that was never interrupted.
#include <QtTest/QtTest>

#include <torch/torch.h>

#include "checkpoint/checkpoint_store.h"
#include "core/engine_fixture.h"

using namespace latentlab;
using namespace latentlab::testing;

namespace {

std::vector<torch::Tensor> state_of(torch::nn::Module& m) {
    std::vector<torch::Tensor> out;
    for (const auto& p : m.parameters()) out.push_back(p.detach().clone());
    for (const auto& b : m.buffers()) out.push_back(b.detach().clone());
    return out;
}

void compare_bitwise(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
    QCOMPARE(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) QVERIFY2(torch::equal(a[i], b[i]), qPrintable(QString("tensor %1 differs").arg(i)));
}

} // namespace

class TestResume : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void stopped_and_resumed_equals_uninterrupted_data() {
        QTest::addColumn<int>("stop_at");
        QTest::addColumn<QString>("recipe");
        QTest::addColumn<bool>("extras");  // adaptive augmentation, instance noise, hinge loss on top
        QTest::addColumn<double>("noise_target");
        // Where the interrupted run makes its batches; the uninterrupted one always uses host threads.
        QTest::addColumn<QString>("placement");
        QTest::newRow("mid-epoch, dcgan") << 11 << "dcgan" << false << 0.0 << "host";
        QTest::newRow("at an epoch end, dcgan") << 8 << "dcgan" << false << 0.0 << "host";
        QTest::newRow("mid-epoch, stable (EMA, instance noise)") << 11 << "stable" << false << 0.0 << "host";
        QTest::newRow("mid-epoch, stable with adaptive noise") << 11 << "stable" << false << 0.6 << "host";
        QTest::newRow("mid-epoch, every recipe part, spectral norm, two pairs") << 5 << "stable" << true << 0.7 << "host";
        QTest::newRow("mid-epoch, stable, batches made on the device (the CPU)") << 11 << "stable" << false << 0.0
                                                                                  << "device";
    }
    void stopped_and_resumed_equals_uninterrupted() {
        QFETCH(int, stop_at);
        QFETCH(QString, recipe);
        QFETCH(bool, extras);
        QFETCH(double, noise_target);
        QFETCH(QString, placement);
        const auto data = tiny_faces(128);
        QTemporaryDir straight_dir, interrupted_dir;

        TrainConfig c = tiny_config(straight_dir.path().toStdString(), extras ? 2 : 3);
        c.flip = true;
        c.use_recipe(recipe.toStdString());
        c.recipe.noise_target = noise_target;
        if (extras) {
            c.model.d_norm = DiscriminatorNorm::Spectral;
            c.recipe.augment = "color,translation,cutout";
            c.recipe.augment_target = 0.7;  // the probability is saved and restored too
            c.recipe.instance_noise = 0.1;
            c.recipe.loss = GanLoss::Hinge;
            c.recipe.r1_gamma = 1.0;
            c.pairs = 2;
        }
        Engine straight(c, data);
        QCOMPARE(int(straight.run().reason), int(EndReason::Finished));
        const auto g_expected = state_of(*straight.generator());
        const auto d_expected = state_of(*straight.discriminator());
        const auto sampling_expected = state_of(*straight.sampling_generator());

        c.run_dir = interrupted_dir.path().toStdString();
        c.data_placement = placement.toStdString();
        {
            Engine first(c, data);
            Recorder rec;
            QCOMPARE(int(run_until(first, rec, stop_at)), int(EndReason::Stopped));
            QCOMPARE(first.iteration(), std::int64_t{stop_at});
        }
        Engine resumed(c, data);
        resumed.resume_from(CheckpointStore::latest_in(c.run_dir));
        QCOMPARE(resumed.iteration(), std::int64_t{stop_at});
        QCOMPARE(int(resumed.run().reason), int(EndReason::Finished));
        QCOMPARE(resumed.iteration(), straight.iteration());
        compare_bitwise(state_of(*resumed.generator()), g_expected);
        compare_bitwise(state_of(*resumed.discriminator()), d_expected);
        compare_bitwise(state_of(*resumed.sampling_generator()), sampling_expected);
    }
};

QTEST_APPLESS_MAIN(TestResume)
#include "test_resume.moc"
