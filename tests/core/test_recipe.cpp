// SPDX-License-Identifier: GPL-3.0-or-later
// The training recipe's parts each change the step the way they say.
#include <QtTest/QtTest>

#include <ATen/CPUGeneratorImpl.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "checkpoint/checkpoint_store.h"
#include "checkpoint/generator_snapshot.h"
#include "common/error.h"
#include "common/setting_ranges.h"
#include "engine_fixture.h"
#include "error_of.h"
#include "models/init.h"
#include "models/spectral_norm.h"
#include "train/diff_augment.h"
#include "train/engine.h"
#include "train/gan_loss.h"
#include "train/gan_pair.h"
#include "train/generator_ema.h"
#include "train/quick_start.h"

using namespace latentlab;
using namespace latentlab::testing;

namespace {

ModelConfig tiny_model() {
    ModelConfig m;
    m.image_size = 32;
    m.nz = 8;
    m.ngf = 8;
    m.ndf = 8;
    return m;
}

// The data's first `n` images as a float batch in [-1, 1], as the loader makes them.
at::Tensor first_images(const DecodedImages& data, std::int64_t n) {
    return torch::from_blob(const_cast<std::uint8_t*>(data.image(0)), {n, data.size, data.size, data.channels}, at::kByte)
        .permute({0, 3, 1, 2})
        .to(at::kFloat)
        .div(127.5)
        .sub(1.0);
}

double max_difference(torch::nn::Module& a, torch::nn::Module& b) {
    double worst = 0;
    const auto pa = a.named_parameters(), pb = b.named_parameters();
    for (const auto& p : pa) worst = std::max(worst, (p.value() - pb[p.key()]).abs().max().item<double>());
    return worst;
}

// The largest singular value of every spectrally normalised layer's effective weight.
std::vector<double> spectral_norms(Discriminator& d) {
    std::vector<double> out;
    for (const auto& m : d->modules(false))
        if (auto* sn = m->as<SpectralNormConv2d>()) {
            const auto w = sn->normalized_weight();
            out.push_back(torch::linalg_matrix_norm(w.reshape({w.size(0), -1}), 2).item<double>());
        }
    return out;
}

at::Generator cpu_rng(std::uint64_t seed) { return at::make_generator<at::CPUGeneratorImpl>(seed); }

} // namespace

class TestRecipe : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void ema_averages_and_decay_zero_copies() {
        torch::manual_seed(1);
        Generator g(tiny_model());
        init_dcgan_weights(*g);
        GeneratorEma ema(g);
        QCOMPARE(max_difference(*ema.average(), *g), 0.0);
        {
            torch::NoGradGuard no_grad;
            for (auto& p : g->parameters()) p.add_(1.0);
        }
        ema.update(g, 0.75);  // a quarter of the way to the new weights
        const auto avg = ema.average()->named_parameters();
        for (const auto& p : g->named_parameters())
            QVERIFY(torch::allclose(avg[p.key()], p.value() - 0.75, 1e-5, 1e-5));
        QVERIFY(max_difference(*ema.average(), *g) > 0.7);
        ema.update(g, 0.0);
        QCOMPARE(max_difference(*ema.average(), *g), 0.0);
    }

    void ema_decay_follows_half_life() {
        // Ramp-up: early on the half-life is a twentieth of the images seen.
        QCOMPARE(GeneratorEma::decay_for(10000, 0.05, 64, 0), 0.0);
        QVERIFY(std::abs(GeneratorEma::decay_for(10000, 0.05, 64, 1280) - std::pow(0.5, 1.0)) < 1e-12);
        // A longer ramp: the half-life is a fifth of the images seen.
        QVERIFY(std::abs(GeneratorEma::decay_for(10000, 0.2, 64, 320) - std::pow(0.5, 1.0)) < 1e-12);
        // Later: a weight counts half after 10000 images, i.e. after 10000 / 64 steps.
        const double d = GeneratorEma::decay_for(10000, 0.05, 64, 1000000);
        QVERIFY(std::abs(std::pow(d, 10000.0 / 64) - 0.5) < 1e-9);
        // No ramp: the full half-life from the first image.
        QCOMPARE(GeneratorEma::decay_for(10000, 0.0, 64, 64), d);
        QCOMPARE(GeneratorEma::decay_for(0, 0.05, 64, 1000000), 0.0);
    }

    void spectral_norm_keeps_largest_singular_value_near_one() {
        torch::manual_seed(2);
        ModelConfig m = tiny_model();
        m.d_norm = DiscriminatorNorm::Spectral;
        Discriminator d(m);
        init_dcgan_weights(*d);
        {
            torch::NoGradGuard no_grad;  // scale the raw weights far from 1
            for (auto& p : d->parameters()) p.mul_(37.0);
        }
        d->train();
        const auto x = torch::randn({4, 3, 32, 32});
        for (int i = 0; i < 30; ++i) d->forward(x);  // power iterations
        const auto norms = spectral_norms(d);
        QCOMPARE(norms.size(), std::size_t(4));
        for (double n : norms) QVERIFY2(std::abs(n - 1.0) < 0.05, qPrintable(QString::number(n)));
        // And no batch norm anywhere in the spectral discriminator.
        for (const auto& mod : d->modules(false)) QVERIFY(!mod->as<torch::nn::BatchNorm2d>());
    }

    void spectral_norm_holds_after_training() {
        QTemporaryDir dir;
        TrainConfig c = tiny_config(dir.path().toStdString(), 1);
        c.use_recipe("dcgan");
        c.model.d_norm = DiscriminatorNorm::Spectral;
        c.lr = 2e-3;  // large steps move the raw weights a lot
        Engine engine(c, tiny_faces(64));
        QCOMPARE(int(engine.run().reason), int(EndReason::Finished));
        Discriminator d = engine.discriminator();
        for (double n : spectral_norms(d)) QVERIFY2(std::abs(n - 1.0) < 0.1, qPrintable(QString::number(n)));
    }

    void losses_data() {
        QTest::addColumn<QString>("loss");
        QTest::addColumn<double>("real_label");
        QTest::addColumn<double>("d_real");  // at logit 3
        QTest::addColumn<double>("d_fake");  // at logit -0.5
        QTest::addColumn<double>("g");       // at logit -0.5
        const double sp3 = std::log1p(std::exp(-3.0)), sp05 = std::log1p(std::exp(-0.5)), sp05n = std::log1p(std::exp(0.5));
        QTest::newRow("bce") << "bce" << 1.0 << sp3 << sp05 << sp05n;
        // Target 0.9: 0.9 * softplus(-3) + 0.1 * softplus(3)
        QTest::newRow("bce, smoothed") << "bce" << 0.9 << (0.9 * sp3 + 0.1 * (3.0 + sp3)) << sp05 << sp05n;
        QTest::newRow("hinge") << "hinge" << 1.0 << 0.0 << 0.5 << 0.5;
    }
    void losses() {
        QFETCH(QString, loss);
        QFETCH(double, real_label);
        QFETCH(double, d_real);
        QFETCH(double, d_fake);
        QFETCH(double, g);
        const GanObjective objective(parse_gan_loss(loss.toStdString()), real_label);
        const auto at = [](double v) { return torch::full({4}, v); };
        QVERIFY(std::abs(objective.d_real(at(3.0)).item<double>() - d_real) < 1e-5);
        QVERIFY(std::abs(objective.d_fake(at(-0.5)).item<double>() - d_fake) < 1e-5);
        QVERIFY(std::abs(objective.g(at(-0.5)).item<double>() - g) < 1e-5);
    }

    void translation_moves_pixels_and_keeps_gradients() {
        auto x = torch::full({8, 1, 32, 32}, -1.0);
        x.index_put_({torch::indexing::Slice(), 0, 16, 16}, 1.0);  // one bright pixel per image
        x.requires_grad_(true);
        Augmentations a;
        a.translation = true;
        auto rng = cpu_rng(3);
        const auto y = augment(x, a, rng);
        QCOMPARE(y.sizes(), x.sizes());
        int moved = 0;
        for (int i = 0; i < 8; ++i) {
            const auto peak = y[i][0].argmax().item<std::int64_t>();
            const auto dy = peak / 32 - 16, dx = peak % 32 - 16;
            QVERIFY(std::abs(dy) <= 4 && std::abs(dx) <= 4);
            if (dy != 0 || dx != 0) ++moved;
            QVERIFY(y[i][0].max().item<double>() == 1.0);
        }
        QVERIFY(moved >= 6);
        y.sum().backward();
        QVERIFY(x.grad().defined() && x.grad().abs().sum().item<double>() > 0);
        // The same RNG state gives the same augmentation.
        auto again = cpu_rng(3);
        QVERIFY(torch::equal(augment(x.detach(), a, again), y.detach()));
    }

    void cutout_blanks_a_square_and_color_changes_statistics() {
        const auto x = torch::ones({16, 3, 32, 32});
        Augmentations cut;
        cut.cutout = true;
        auto rng = cpu_rng(4);
        const auto y = augment(x, cut, rng);
        for (int i = 0; i < 16; ++i) {
            const double zeros = (y[i][0] == 0).sum().item<double>();
            QVERIFY2(zeros > 0 && zeros <= 16 * 16, qPrintable(QString::number(zeros)));
        }
        Augmentations color;
        color.color = true;
        const auto z = augment(torch::rand({16, 3, 32, 32}) * 2 - 1, color, rng);
        QVERIFY(z.mean({1, 2, 3}).std().item<double>() > 0.05);  // brightness differs per image
        QCOMPARE(augment(x, Augmentations{}, rng).data_ptr(), x.data_ptr());  // nothing enabled: the input itself
        QVERIFY_THROWS_EXCEPTION(Error, parse_augmentations("translation,zoom"));
        QCOMPARE(to_string(parse_augmentations("cutout,color")), std::string("color,cutout"));
    }

    void two_time_scales_follow_lr_changes() {
        QTemporaryDir dir;
        TrainConfig c = tiny_config(dir.path().toStdString(), 1);
        c.recipe.d_lr_scale = 4.0;
        c.lr = 1e-4;
        Engine engine(c, tiny_faces(64));
        QCOMPARE(engine.learning_rates().first, 1e-4);
        QCOMPARE(engine.learning_rates().second, 4e-4);
        Recorder rec;
        engine.add_observer(&rec);
        engine.control().set_learning_rate(3e-4);
        QCOMPARE(int(engine.run().reason), int(EndReason::Finished));
        QVERIFY(std::abs(engine.learning_rates().first - 3e-4) < 1e-12);
        QVERIFY(std::abs(engine.learning_rates().second - 12e-4) < 1e-12);
    }

    void instance_noise_and_augmentation_change_what_d_sees() {
        // Same seed, same data: only the recipe part differs, so D's first outputs differ.
        const auto data = tiny_faces(64);
        std::vector<double> first_d_x;
        for (int variant = 0; variant < 3; ++variant) {
            QTemporaryDir dir;
            TrainConfig c = tiny_config(dir.path().toStdString(), 1);
            c.use_recipe("dcgan");
            if (variant == 1) c.recipe.instance_noise = 0.5;
            if (variant == 2) c.recipe.augment = "translation,cutout";
            Engine engine(c, data);
            Recorder rec;
            rec.control = &engine.control();
            rec.stop_at = 1;
            engine.add_observer(&rec);
            engine.run();
            QVERIFY(!rec.metrics().empty());
            first_d_x.push_back(rec.metrics().front().d_x);
        }
        QVERIFY(first_d_x[0] != first_d_x[1]);
        QVERIFY(first_d_x[0] != first_d_x[2]);
    }

    void instance_noise_fades_or_follows_d_accuracy() {
        const auto data = tiny_faces(128);
        for (const double target : {0.0, 0.6}) {
            QTemporaryDir dir;
            TrainConfig c = tiny_config(dir.path().toStdString(), 2);
            c.use_recipe("stable");
            c.recipe.instance_noise = 0.3;
            c.recipe.noise_target = target;
            Engine engine(c, data);
            Recorder rec;
            engine.add_observer(&rec);
            QCOMPARE(int(engine.run().reason), int(EndReason::Finished));
            const auto m = rec.metrics();
            QCOMPARE(m.size(), std::size_t{16});
            QVERIFY(std::abs(m.front().instance_noise - 0.3) < 1e-6);
            bool moved = false;
            const auto progress = [&m](std::size_t i) { return double(m[i].iteration - 1) / m.size(); };
            for (std::size_t i = 0; i + 1 < m.size(); ++i) {
                double expected;
                if (target == 0.0) {
                    expected = 0.3 * (1.0 - progress(i + 1));  // fades with progress
                } else {
                    // The level moves by the accuracy's distance from the target, in steps of
                    // batch / 10,000 images; the noise applied is the level, times a share
                    // that falls from 1 to 0 over the run's last quarter.
                    const auto share = [&](std::size_t j) { return std::clamp((1.0 - progress(j)) / 0.25, 0.0, 1.0); };
                    const double level = m[i].instance_noise / share(i);
                    const double accuracy = (m[i].accuracy_real + m[i].accuracy_fake) / 2;
                    expected = std::clamp(level + (accuracy - target) * 16 / 10000.0, 0.0, 1.0) * share(i + 1);
                    moved = moved || m[i + 1].instance_noise != m[i].instance_noise;
                }
                QVERIFY2(std::abs(m[i + 1].instance_noise - expected) < 1e-6,
                         qPrintable(QString("iteration %1: noise %2, expected %3")
                                        .arg(m[i + 1].iteration).arg(m[i + 1].instance_noise).arg(expected)));
            }
            QVERIFY(target == 0.0 || moved);
        }
        TrainConfig bad;
        bad.recipe.noise_target = 0.3;
        QVERIFY_THROWS_EXCEPTION(Error, bad.recipe.validate());
        bad.recipe.noise_target = 1.0;
        QVERIFY_THROWS_EXCEPTION(Error, bad.recipe.validate());
    }

    void augmentation_probability_follows_d_accuracy() {
        const auto data = tiny_faces(128);
        QTemporaryDir dir;
        TrainConfig c = tiny_config(dir.path().toStdString(), 2);
        c.use_recipe("stable");
        c.recipe.augment = "translation";
        c.recipe.augment_target = 0.6;
        Engine engine(c, data);
        Recorder rec;
        engine.add_observer(&rec);
        QCOMPARE(int(engine.run().reason), int(EndReason::Finished));
        const auto m = rec.metrics();
        QCOMPARE(m.size(), std::size_t{16});
        QCOMPARE(m.front().augment_p, 0.0);  // it starts with no image augmented
        bool moved = false;
        for (std::size_t i = 0; i + 1 < m.size(); ++i) {
            // The probability moves by the accuracy's distance from the target, in steps of batch / 10,000 images.
            const double accuracy = (m[i].accuracy_real + m[i].accuracy_fake) / 2;
            const double expected = std::clamp(m[i].augment_p + (accuracy - 0.6) * 16 / 10000.0, 0.0, 1.0);
            QVERIFY2(std::abs(m[i + 1].augment_p - expected) < 1e-6,
                     qPrintable(QString("iteration %1: p %2, expected %3")
                                    .arg(m[i + 1].iteration).arg(m[i + 1].augment_p).arg(expected)));
            moved = moved || m[i + 1].augment_p != m[i].augment_p;
        }
        QVERIFY(moved);
        // Without it, or with fixed augmentation, the share augmented is 0 or 1.
        QVERIFY(c.recipe.augment_target > 0);
        TrainConfig bad;
        bad.recipe.augment_target = 0.7;  // nothing to augment with
        QVERIFY(error_of([&] { bad.recipe.validate(); }).contains("needs augmentations"));
        bad.recipe.augment = "translation";
        bad.recipe.augment_target = 0.4;
        QVERIFY(error_of([&] { bad.recipe.validate(); }).contains("augment target"));
    }

    // R1 penalises the slope of D at the images it sees as real: after the same
    // steps from the same seed, D rises less steeply around real faces.
    void r1_penalty_flattens_d_at_real_images() {
        const auto data = tiny_faces(128);
        const at::Tensor real = first_images(*data, 64);
        std::vector<double> slope;
        for (const double gamma : {0.0, 10.0}) {
            QTemporaryDir dir;
            TrainConfig c = tiny_config(dir.path().toStdString(), 2);
            c.use_recipe("dcgan");
            c.recipe.r1_gamma = gamma;
            Engine engine(c, data);
            QCOMPARE(int(engine.run().reason), int(EndReason::Finished));
            const at::Tensor x = real.clone().requires_grad_(true);
            const at::Tensor logits = engine.discriminator()->forward(x);
            const at::Tensor grad = torch::autograd::grad({logits.sum()}, {x})[0];
            slope.push_back(grad.square().sum({1, 2, 3}).mean().item<double>());
        }
        QVERIFY2(slope[1] < 0.5 * slope[0], qPrintable(QString("squared slope %1 with R1, %2 without")
                                                           .arg(slope[1]).arg(slope[0])));
        Recipe bad;
        bad.r1_gamma = -1;
        QVERIFY(error_of([&] { bad.validate(); }).contains("R1 penalty"));
    }

    // Lazy R1: with an interval of k the penalty applies on iterations 0, k,
    // 2k ... with k times the weight, and not in between. One step of a pair
    // on the same batch and noise from the same seed tells which it did.
    void lazy_r1_applies_every_kth_iteration_with_k_times_the_weight() {
        const auto data = tiny_faces(64);
        const at::Tensor real = first_images(*data, 16);
        const auto d_after_one_step = [&](double gamma, int every, std::int64_t iteration) {
            QTemporaryDir dir;
            TrainConfig c = tiny_config(dir.path().toStdString(), 1);
            c.use_recipe("dcgan");
            c.batch_size = 16;
            c.recipe.r1_gamma = gamma;
            c.recipe.r1_every = every;
            GanPair pair(c, 7, torch::kCPU, false, false);
            at::Generator rng = at::make_generator<at::CPUGeneratorImpl>(11);
            pair.step(real, rng, 0.0, iteration);
            return pair.discriminator();
        };
        auto lazy_on = d_after_one_step(1.0, 4, 8);
        auto weighted = d_after_one_step(4.0, 1, 8);
        auto lazy_off = d_after_one_step(1.0, 4, 9);
        auto without = d_after_one_step(0.0, 1, 9);
        QCOMPARE(max_difference(*lazy_on, *weighted), 0.0);
        QCOMPARE(max_difference(*lazy_off, *without), 0.0);
        QVERIFY(max_difference(*lazy_on, *lazy_off) > 0);
        Recipe bad;
        bad.r1_every = 0;
        QVERIFY(error_of([&] { bad.validate(); }).contains("R1 interval"));
    }

    void checkpoint_keeps_the_average_and_sample_uses_it() {
        QTemporaryDir dir;
        TrainConfig c = tiny_config(dir.path().toStdString(), 1);
        c.use_recipe("stable");
        QVERIFY(c.recipe.ema);
        Engine engine(c, tiny_faces(64));
        QCOMPARE(int(engine.run().reason), int(EndReason::Finished));
        const std::string latest = CheckpointStore::latest_in(c.run_dir);
        GeneratorSnapshot averaged = load_generator(latest, torch::kCPU);
        GeneratorSnapshot raw = load_generator(latest, torch::kCPU, GeneratorChoice::Raw);
        QVERIFY(averaged.averaged);
        QVERIFY(!raw.averaged);
        QVERIFY(max_difference(*averaged.generator, *raw.generator) > 0);
        QCOMPARE(max_difference(*raw.generator, *engine.generator()), 0.0);
        QCOMPARE(max_difference(*averaged.generator, *engine.sampling_generator()), 0.0);
        QVERIFY(engine.snapshot_generator().averaged);
    }

    void recipes_and_their_config() {
        TrainConfig c;
        QCOMPARE(c.recipe_name, std::string(kDefaultRecipe));
        c.use_recipe("dcgan");
        QVERIFY(c.recipe == Recipe{});
        QVERIFY(c.model.d_norm == DiscriminatorNorm::Batch);
        c.use_recipe("stable");
        c.recipe.augment = "translation";
        c.recipe.augment_target = 0.8;
        c.recipe.real_label = 0.9;
        c.recipe.r1_gamma = 2.5;
        c.recipe.r1_every = 8;
        const TrainConfig back = train_config_from_json(to_json(c));
        QVERIFY(back.recipe == c.recipe);
        // A config saved before lazy R1 existed applied R1 on every iteration.
        nlohmann::json before_lazy = to_json(c);
        before_lazy.erase("r1_every");
        QCOMPARE(train_config_from_json(before_lazy).recipe.r1_every, 1);
        QVERIFY(back.model == c.model);
        QCOMPARE(back.recipe_name, std::string("stable"));
        // A config written before recipes existed is the lecture's DCGAN.
        nlohmann::json old = to_json(c);
        for (const char* key : {"recipe", "d_norm", "loss", "d_lr_scale", "real_label", "instance_noise", "noise_target",
                                "augment", "augment_target", "r1_gamma", "r1_every", "ema", "ema_halflife", "ema_rampup"})
            old.erase(key);
        const TrainConfig legacy = train_config_from_json(old);
        QVERIFY(legacy.recipe == Recipe{});
        QVERIFY(legacy.model.d_norm == DiscriminatorNorm::Batch);
        QVERIFY_THROWS_EXCEPTION(Error, c.use_recipe("wgan"));
        // stable: EMA of G, instance noise and R1, batch norm in D, on any dataset.
        c.model.d_norm = DiscriminatorNorm::Spectral;
        c.use_recipe("stable");
        QVERIFY(c.recipe.ema);
        QVERIFY(c.model.d_norm == DiscriminatorNorm::Batch);
        QCOMPARE(c.recipe.instance_noise, 0.2);
        QCOMPARE(c.recipe.r1_gamma, 1.0);
        QCOMPARE(c.recipe.r1_every, 4);
        QVERIFY(c.recipe.augment.empty());
        c.recipe.real_label = 0.3;
        QVERIFY_THROWS_EXCEPTION(Error, c.validate());
    }

    // Every numeric setting is refused just outside its range in the table, with
    // the table's message: the limits the CLI and the window show are the ones
    // the config is held to.
    void every_setting_is_held_to_its_range_in_the_table() {
        const nlohmann::json good = to_json(TrainConfig{});
        for (const SettingRange& range : setting_ranges()) {
            const std::string key(range.key);
            QVERIFY2(good.contains(key), key.c_str());
            const double below = range.low_open ? range.low : range.low - 1;
            const double above = range.high_open ? range.high : range.high + 1;
            for (const double value : {below, above}) {
                nlohmann::json bad = good;
                if (range.integer) bad[key] = static_cast<std::int64_t>(value);
                else bad[key] = value;
                const QString message = error_of([&] { train_config_from_json(bad).validate(); });
                QCOMPARE(message, QString::fromStdString(range.problem(value)));
            }
            nlohmann::json edge = good;
            if (range.integer) edge[key] = static_cast<std::int64_t>(range.low_open ? range.high : range.low);
            else edge[key] = range.low_open ? range.high : range.low;
            QVERIFY(setting_range(key).contains(edge[key].get<double>()));
            if (range.integer) {
                nlohmann::json fraction = good;
                fraction[key] = 2.5;
                QVERIFY(error_of([&] { train_config_from_json(fraction); }).contains("must be a whole number"));
            }
        }
    }

    // Data placement and precision: only the listed values, with a message that
    // names the value and the choices; a config saved before precision existed
    // trained in float32.
    void placements_and_precisions_are_checked() {
        TrainConfig c;
        c.data = "synthetic:64";
        for (const auto& placement : data_placements()) {
            c.data_placement = placement;
            c.validate();
        }
        for (const auto& precision : precisions()) {
            c.precision = precision;
            c.validate();
        }
        c.data_placement = "gpu";
        QCOMPARE(error_of([&] { c.validate(); }), QString("data placement 'gpu' is not known (use auto, host or device)"));
        c.data_placement = "auto";
        c.precision = "fp16";
        QCOMPARE(error_of([&] { c.validate(); }), QString("precision 'fp16' is not known (use auto, fp32 or bf16)"));
        c.precision = "auto";
        nlohmann::json old = to_json(c);
        QCOMPARE(train_config_from_json(old).precision, std::string("auto"));
        old.erase("precision");
        QCOMPARE(train_config_from_json(old).precision, std::string("fp32"));
    }

    void quick_start_is_the_default_recipe_on_a_narrow_model() {
        const TrainConfig q = quick_start_config();
        q.validate();
        QCOMPARE(q.data, std::string("synthetic:4096"));
        QCOMPARE(q.model.image_size, 32);
        QCOMPARE(q.model.ngf, std::int64_t{48});
        QCOMPARE(q.model.ndf, std::int64_t{32});
        QCOMPARE(q.epochs, 60);
        QCOMPARE(q.recipe_name, std::string(kDefaultRecipe));
        QCOMPARE(q.precision, std::string("fp32"));
        QCOMPARE(TrainConfig().precision, std::string("fp32"));
        TrainConfig named;
        named.use_recipe(kDefaultRecipe);
        QVERIFY(q.recipe == named.recipe);
        QVERIFY(q.model.d_norm == named.model.d_norm);
    }
};

QTEST_APPLESS_MAIN(TestRecipe)
#include "test_recipe.moc"
