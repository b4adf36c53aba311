// SPDX-License-Identifier: GPL-3.0-or-later
#include <QtTest/QtTest>

#include <torch/torch.h>

#include "common/error.h"
#include "models/discriminator.h"
#include "models/generator.h"
#include "models/init.h"

using namespace latentlab;

class TestModels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void shapes_data() {
        QTest::addColumn<int>("size");
        QTest::addColumn<int>("channels");
        for (int size : {32, 64, 128})
            for (int channels : {1, 3})
                QTest::newRow(qPrintable(QString("%1px-%2ch").arg(size).arg(channels))) << size << channels;
    }
    void shapes() {
        QFETCH(int, size);
        QFETCH(int, channels);
        ModelConfig c;
        c.image_size = size;
        c.channels = channels;
        c.nz = 16;
        c.ngf = 8;
        c.ndf = 8;
        Generator g(c);
        Discriminator d(c);
        torch::NoGradGuard no_grad;
        const auto images = g->forward(torch::randn({5, 16}));
        QCOMPARE(images.sizes().vec(), (std::vector<int64_t>{5, channels, size, size}));
        QVERIFY(images.min().item<float>() >= -1.0f);
        QVERIFY(images.max().item<float>() <= 1.0f);
        const auto logits = d->forward(images);
        QCOMPARE(logits.sizes().vec(), (std::vector<int64_t>{5}));
        // The number of stride-2 blocks follows the size: log2(size) - 2.
        int upsampling = 0;
        for (const auto& m : g->modules(false))
            if (auto* t = m->as<torch::nn::ConvTranspose2d>(); t && t->options.stride()->at(0) == 2) ++upsampling;
        QCOMPARE(upsampling, c.upsampling_blocks());
        QCOMPARE(c.upsampling_blocks(), size == 32 ? 3 : size == 64 ? 4 : 5);
    }

    void discriminator_has_no_batch_norm_after_first_conv() {
        ModelConfig c;
        c.image_size = 64;
        Discriminator d(c);
        std::vector<std::string> kinds;
        for (const auto& m : d->modules(false)) {
            if (m->as<torch::nn::Conv2d>()) kinds.push_back("conv");
            else if (m->as<torch::nn::BatchNorm2d>()) kinds.push_back("bn");
            else if (m->as<torch::nn::LeakyReLU>()) kinds.push_back("leaky");
        }
        QCOMPARE(kinds.at(0), std::string("conv"));
        QCOMPARE(kinds.at(1), std::string("leaky"));  // no batch norm on the first block
        QCOMPARE(std::count(kinds.begin(), kinds.end(), std::string("bn")), std::ptrdiff_t{3});
        QCOMPARE(kinds.back(), std::string("conv"));  // one logit, no Sigmoid
    }

    void dcgan_initialisation() {
        torch::manual_seed(3);
        ModelConfig c;
        c.image_size = 64;
        Generator g(c);
        init_dcgan_weights(*g);
        std::vector<torch::Tensor> conv, bn_weight, bn_bias;
        for (const auto& m : g->modules(false)) {
            if (m->as<torch::nn::ConvTranspose2d>()) conv.push_back(m->named_parameters(false)["weight"].flatten());
            if (m->as<torch::nn::BatchNorm2d>()) {
                bn_weight.push_back(m->named_parameters(false)["weight"]);
                bn_bias.push_back(m->named_parameters(false)["bias"]);
            }
        }
        const auto w = torch::cat(conv);
        QVERIFY(std::abs(w.mean().item<double>()) < 0.001);
        QVERIFY(std::abs(w.std().item<double>() - 0.02) < 0.001);
        const auto bw = torch::cat(bn_weight);
        QVERIFY(std::abs(bw.mean().item<double>() - 1.0) < 0.01);
        QVERIFY(std::abs(bw.std().item<double>() - 0.02) < 0.005);
        QCOMPARE(torch::cat(bn_bias).abs().max().item<float>(), 0.0f);
    }

    void bad_config_is_refused_data() {
        QTest::addColumn<int>("size");
        QTest::addColumn<int>("channels");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("size 48") << 48 << 3 << "image size 48";
        QTest::newRow("size 256") << 256 << 3 << "image size 256";
        QTest::newRow("channels 2") << 64 << 2 << "channels 2";
    }
    void bad_config_is_refused() {
        QFETCH(int, size);
        QFETCH(int, channels);
        QFETCH(QString, mentions);
        ModelConfig c;
        c.image_size = size;
        c.channels = channels;
        try {
            Generator g(c);
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains(mentions), e.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestModels)
#include "test_models.moc"
