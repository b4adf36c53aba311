// SPDX-License-Identifier: GPL-3.0-or-later
// Projection of images into a generator's latent space, D's features, and
// FILE#INDEX latent references. Tiny 32 px models, a few seconds in all.
#include <QtTest/QtTest>

#include <QTemporaryDir>

#include <torch/torch.h>

#include "error_of.h"
#include "checkpoint/generator_snapshot.h"
#include "common/error.h"
#include "latent/latent_batch.h"
#include "latent/latent_set_file.h"
#include "latent/latent_views.h"
#include "latent/projection.h"
#include "models/discriminator.h"
#include "models/generator.h"

using namespace latentlab;

namespace {

constexpr std::int64_t kNz = 16;

ModelConfig tiny_model() {
    ModelConfig c;
    c.image_size = 32;
    c.channels = 3;
    c.nz = kNz;
    c.ngf = 8;
    c.ndf = 8;
    return c;
}

// A random generator whose batch-norm running averages match what it draws,
// so that in evaluation mode its images vary as a trained one's do.
Generator lively_generator() {
    torch::manual_seed(11);
    Generator g(tiny_model());
    torch::NoGradGuard no_grad;
    g->train();
    constexpr int kCalibrationBatches = 30;  // momentum 0.1: the initial averages fade to ~4%
    for (int i = 0; i < kCalibrationBatches; ++i) g->forward(torch::randn({64, kNz}));
    g->eval();
    return g;
}

Discriminator random_discriminator() {
    torch::manual_seed(12);
    Discriminator d(tiny_model());
    d->eval();
    return d;
}

// Images G draws from the latents of `seed`: targets it can reach exactly.
torch::Tensor drawn_images(Generator& g, std::uint64_t seed, std::int64_t count, torch::Tensor* latents = nullptr) {
    torch::NoGradGuard no_grad;
    const torch::Tensor z = latent_batch(seed, count, kNz);
    if (latents) *latents = z;
    return g->forward(z);
}

double mean(const std::vector<double>& v) {
    double sum = 0;
    for (double x : v) sum += x;
    return v.empty() ? 0.0 : sum / static_cast<double>(v.size());
}

ProjectionOptions quick_options(std::uint64_t seed = 5) {
    ProjectionOptions o;
    o.steps = 150;
    o.restarts = 8;
    o.seed = seed;
    return o;
}

} // namespace

class TestProjection : public QObject {
    Q_OBJECT
    Generator g_{nullptr};
    Discriminator d_{nullptr};

private Q_SLOTS:
    void initTestCase() {
        g_ = lively_generator();
        d_ = random_discriminator();
    }

    void discriminator_features_follow_its_blocks() {
        torch::NoGradGuard no_grad;
        const auto features = d_->features(torch::zeros({2, 3, 32, 32}));
        QCOMPARE(features.size(), std::size_t{3});  // 32 -> 16 -> 8 -> 4
        QCOMPARE(features[0].sizes().vec(), (std::vector<int64_t>{2, 8, 16, 16}));
        QCOMPARE(features[1].sizes().vec(), (std::vector<int64_t>{2, 16, 8, 8}));
        QCOMPARE(features[2].sizes().vec(), (std::vector<int64_t>{2, 32, 4, 4}));
    }

    void projection_lowers_the_error_of_its_start_data() {
        QTest::addColumn<bool>("with_discriminator");
        QTest::newRow("pixels") << false;
        QTest::newRow("pixels and D features") << true;
    }
    void projection_lowers_the_error_of_its_start() {
        QFETCH(bool, with_discriminator);
        // Targets G cannot draw exactly: another generator's images.
        torch::manual_seed(13);
        Generator other(tiny_model());
        torch::Tensor targets;
        {
            torch::NoGradGuard no_grad;
            other->eval();
            targets = other->forward(torch::randn({6, kNz})) * 0.5 + drawn_images(g_, 99, 6) * 0.5;
        }
        const Projection p = project(g_, with_discriminator ? d_ : Discriminator(nullptr), targets, quick_options());
        QCOMPARE(p.latents.sizes().vec(), (std::vector<int64_t>{6, kNz}));
        QCOMPARE(p.reconstructions.sizes().vec(), (std::vector<int64_t>{6, 3, 32, 32}));
        QCOMPARE(p.steps_done, 150);
        QVERIFY(!p.cancelled);
        for (std::size_t i = 0; i < p.final_mse.size(); ++i)
            QVERIFY2(p.final_mse[i] < p.start_mse[i], qPrintable(QString("image %1: %2 -> %3").arg(i).arg(p.start_mse[i]).arg(p.final_mse[i])));
        QVERIFY2(mean(p.final_mse) < 0.7 * mean(p.start_mse),
                 qPrintable(QString("%1 -> %2").arg(mean(p.start_mse)).arg(mean(p.final_mse))));
        // The reported errors are those of the returned latents.
        torch::NoGradGuard no_grad;
        QVERIFY(torch::allclose(g_->forward(p.latents), p.reconstructions, 1e-5, 1e-5));
        QVERIFY(torch::allclose(per_image_mse(p.reconstructions, targets),
                                torch::tensor(p.final_mse).to(torch::kFloat), 1e-6, 1e-4));
    }

    void an_image_g_drew_is_found_again() {
        torch::Tensor truth;
        const torch::Tensor targets = drawn_images(g_, 42, 4, &truth);
        ProjectionOptions o = quick_options();
        o.steps = 300;
        const Projection p = project(g_, d_, targets, o);
        const double start = mean(p.start_mse), final_error = mean(p.final_mse);
        QVERIFY2(final_error < 0.1 * start, qPrintable(QString("%1 -> %2").arg(start).arg(final_error)));
        // Per-pixel error well below that of unrelated images of the same generator.
        const double unrelated = per_image_mse(drawn_images(g_, 43, 4), targets).mean().item<double>();
        QVERIFY2(final_error < 0.05 * unrelated, qPrintable(QString("%1 vs %2").arg(final_error).arg(unrelated)));
    }

    void the_same_seed_gives_the_same_latents() {
        const torch::Tensor targets = drawn_images(g_, 7, 3);
        ProjectionOptions o = quick_options(21);
        o.steps = 30;
        const Projection a = project(g_, d_, targets, o), b = project(g_, d_, targets, o);
        QVERIFY(torch::equal(a.latents, b.latents));
        QCOMPARE(a.final_mse, b.final_mse);
        o.seed = 22;
        const Projection c = project(g_, d_, targets, o);
        QVERIFY(!torch::equal(a.latents, c.latents));
    }

    void the_models_are_left_as_they_were() {
        Generator g = lively_generator();
        g->train();
        const auto before = g->parameters()[0].clone();
        const auto running_mean = g->buffers()[0].clone();
        ProjectionOptions o = quick_options();
        o.steps = 5;
        project(g, d_, drawn_images(g_, 3, 2), o);
        QVERIFY(g->is_training());
        QVERIFY(!d_->is_training());
        QVERIFY(d_->parameters()[0].requires_grad());
        for (const auto& p : g->parameters()) {
            QVERIFY(p.requires_grad());
            QVERIFY(!p.grad().defined());  // the weights get no gradient
        }
        QVERIFY(torch::equal(g->parameters()[0], before));
        QVERIFY(torch::equal(g->buffers()[0], running_mean));  // evaluation mode: no running-average update
    }

    void the_progress_callback_sees_every_step_and_can_stop() {
        ProjectionOptions o = quick_options();
        o.steps = 20;
        std::vector<int> steps;
        bool shapes_right = true;  // each step shows the batch's current reconstructions
        const Projection p = project(g_, Discriminator(nullptr), drawn_images(g_, 1, 2), o, [&](const ProjectionStep& s) {
            steps.push_back(s.step);
            shapes_right = shapes_right && s.images.sizes() == at::IntArrayRef{2, 3, 32, 32};
            return s.steps == 20 && s.mean_mse >= 0 && s.step < 4;
        });
        QCOMPARE(steps, (std::vector<int>{1, 2, 3, 4}));
        QVERIFY(shapes_right);
        QVERIFY(p.cancelled);
        QCOMPARE(p.steps_done, 4);
        QCOMPARE(p.latents.size(0), int64_t{2});
    }

    void bad_input_is_refused() {
        ProjectionOptions o = quick_options();
        QVERIFY(error_of([&] { project(g_, d_, torch::zeros({2, 1, 32, 32}), o); }).contains("[N, 3, 32, 32]"));
        QVERIFY(error_of([&] { project(g_, d_, torch::zeros({2, 3, 64, 64}), o); }).contains("[2, 3, 64, 64]"));
        o.restarts = 0;
        QVERIFY(error_of([&] { project(g_, d_, torch::zeros({2, 3, 32, 32}), o); }).contains("restarts 0"));
    }

    void file_references_parse() {
        const LatentRef r = parse_latent_ref("runs/a#b.json#12");
        QVERIFY(r.is_file());
        QCOMPARE(r.file, std::string("runs/a#b.json"));
        QCOMPARE(r.index, std::int64_t{12});
        QCOMPARE(r.to_string(), std::string("runs/a#b.json#12"));
        const auto refs = parse_latent_refs("l.json#0,3:7,l.json#1");
        QCOMPARE(refs.size(), std::size_t{3});
        QVERIFY(!refs[1].is_file());
        QVERIFY(refs[2] == (LatentRef{0, 1, "l.json"}));
        for (const char* bad : {"l.json#", "#3", "l.json#-1", "l.json#x", "l.json"})
            QVERIFY2(!error_of([&] { parse_latent_ref(bad); }).isEmpty(), bad);
    }

    void file_references_resolve_and_fail_clearly() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string path = dir.filePath("latents.json").toStdString();
        LatentSet set;
        std::vector<float> v(kNz);
        for (float k : {1.f, 2.f, 3.f}) {
            std::fill(v.begin(), v.end(), k);
            (k < 3 ? set.groups[k < 2 ? 0 : 2] : set.keyframes).push_back({std::nullopt, v});
        }
        save_latent_set(path, set);
        // Order: group A, B, C, then the keyframes.
        const torch::Tensor z = latents_for(parse_latent_refs(path + "#2," + path + "#0,4:1," + path + "#1"), kNz);
        QCOMPARE(z.size(0), int64_t{4});
        QCOMPARE(z[0][0].item<float>(), 3.f);
        QCOMPARE(z[1][5].item<float>(), 1.f);
        QVERIFY(torch::equal(z[2], latent_batch(4, 1, kNz, NoiseKind::Normal, 1)[0]));
        QCOMPARE(z[3][0].item<float>(), 2.f);

        // A file's vector is drawn as stored: truncation shapes seeds only.
        GeneratorSnapshot snapshot;
        snapshot.model = tiny_model();
        ViewOptions view;
        view.truncation = 0.5;
        const torch::Tensor viewed = view_latents(snapshot, parse_latent_refs(path + "#0,4:1"), view);
        QCOMPARE(viewed[0][0].item<float>(), 1.f);
        QVERIFY(torch::allclose(viewed[1], z[2] * 0.5));

        const QString out_of_range = error_of([&] { latents_for({parse_latent_ref(path + "#3")}, kNz); });
        QVERIFY2(out_of_range.contains(QString::fromStdString(path)) && out_of_range.contains("index 3") &&
                     out_of_range.contains("holds 3"),
                 qPrintable(out_of_range));
        const std::string missing_path = dir.filePath("missing.json").toStdString();
        const QString missing = error_of([&] { latents_for({parse_latent_ref(missing_path + "#0")}, kNz); });
        QVERIFY2(missing.contains(QString::fromStdString(missing_path + "#0")) && missing.contains("cannot open"),
                 qPrintable(missing));
        const QString wrong_nz = error_of([&] { latents_for({parse_latent_ref(path + "#0")}, kNz + 1); });
        QVERIFY2(wrong_nz.contains(QString::fromStdString(path)) && wrong_nz.contains("nz"), qPrintable(wrong_nz));
    }
};

QTEST_GUILESS_MAIN(TestProjection)
#include "test_projection.moc"
