// SPDX-License-Identifier: GPL-3.0-or-later
#include <QtTest/QtTest>

#include <set>

#include <torch/torch.h>

#include "common/error.h"
#include "data/batch_loader.h"
#include "data/device_batches.h"
#include "data/random_images.h"

using namespace latentlab;

namespace {

std::shared_ptr<const DecodedImages> images(std::size_t count, int size) {
    DecodeOptions o;
    o.size = size;
    o.channels = 3;
    return std::make_shared<DecodedImages>(random_images(11, count, o));
}

BatchLoaderOptions options(int batch, int crop, int workers) {
    BatchLoaderOptions o;
    o.batch_size = batch;
    o.crop_size = crop;
    o.workers = workers;
    o.seed = 5;
    return o;
}

// With random crops and flips.
BatchLoaderOptions augmented(int batch, int crop, int workers) {
    BatchLoaderOptions o = options(batch, crop, workers);
    o.flip = true;
    o.random_crop = true;
    return o;
}

} // namespace

class TestBatchLoader : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void batches_hold_scaled_pixels_in_epoch_order() {
        const auto data = images(40, 8);
        BatchLoader loader(data, options(8, 8, 2));
        QCOMPARE(loader.batches_per_epoch(), std::int64_t{5});
        const auto order = loader.epoch_order(0);
        QCOMPARE(std::set<std::int64_t>(order.begin(), order.end()).size(), std::size_t{40});  // a permutation
        QVERIFY(order != loader.epoch_order(1));
        loader.start_epoch(0);
        const auto first = loader.next();
        QCOMPARE(first.sizes().vec(), (std::vector<int64_t>{8, 3, 8, 8}));
        // Image k of batch 0 is data image order[k], scaled to [-1, 1], CHW.
        const std::uint8_t* src = data->image(static_cast<std::size_t>(order[2]));
        const int y = 5, x = 3, c = 1;
        QCOMPARE(first[2][c][y][x].item<float>(), src[(y * 8 + x) * 3 + c] / 127.5f - 1.0f);
        QVERIFY(first.min().item<float>() >= -1.0f && first.max().item<float>() <= 1.0f);
        for (int b = 1; b < 5; ++b) loader.next();
        QVERIFY_THROWS_EXCEPTION(Error, loader.next());
    }

    void batches_do_not_depend_on_workers_or_resume_point() {
        const auto data = images(64, 10);
        BatchLoaderOptions o = augmented(8, 8, 1);
        BatchLoader one(data, o);
        o.workers = 3;
        BatchLoader three(data, o);
        one.start_epoch(2);
        three.start_epoch(2, 3);  // resumed at batch 3
        std::vector<torch::Tensor> from_start;
        for (int b = 0; b < 8; ++b) from_start.push_back(one.next());
        for (int b = 3; b < 8; ++b) QVERIFY(torch::equal(three.next(), from_start[b]));
        QVERIFY(torch::equal(one.assemble(2, 4), from_start[4]));
    }

    void flips_mirror_the_image() {
        const auto data = images(4, 8);
        BatchLoaderOptions plain = options(4, 8, 1);
        BatchLoaderOptions flipped = plain;
        flipped.flip = true;
        BatchLoader a(data, plain), b(data, flipped);
        a.start_epoch(0);
        b.start_epoch(0);
        const auto x = a.next(), y = b.next();
        for (int k = 0; k < 4; ++k) QVERIFY(torch::equal(y[k], x[k].flip({2})) || torch::equal(y[k], x[k]));
        // Across epochs about half of the images are mirrored.
        int total = 0;
        for (std::int64_t epoch = 0; epoch < 8; ++epoch) {
            const auto p = a.assemble(epoch, 0), q = b.assemble(epoch, 0);
            for (int k = 0; k < 4; ++k) total += torch::equal(q[k], p[k].flip({2})) && !torch::equal(q[k], p[k]);
        }
        QVERIFY2(total > 4 && total < 28, qPrintable(QString("flipped %1 of 32").arg(total)));
    }

    // DeviceBatches (batches made by tensor operations on the training device,
    // here the CPU) holds exactly what the host threads assemble: the same
    // images, crops, flips and float values, from any epoch and resume point.
    void device_batches_match_the_host_loader() {
        const auto data = images(72, 10);
        BatchLoaderOptions o = augmented(8, 8, 2);
        BatchLoader host(data, o);
        DeviceBatches device(data, o, c10::Device(c10::kCPU));
        QCOMPARE(device.batches_per_epoch(), host.batches_per_epoch());
        for (std::int64_t epoch : {0, 3}) {
            host.start_epoch(epoch);  // assemble() follows the epoch started
            device.start_epoch(epoch);
            for (std::int64_t b = 0; b < host.batches_per_epoch(); ++b) {
                const at::Tensor d = device.next();
                QCOMPARE(d.sizes().vec(), (std::vector<int64_t>{8, 3, 8, 8}));
                QVERIFY(d.is_contiguous());
                QVERIFY2(torch::equal(d, host.assemble(epoch, b)),
                         qPrintable(QString("epoch %1, batch %2 differs").arg(epoch).arg(b)));
            }
            QVERIFY_THROWS_EXCEPTION(Error, device.next());
        }
        host.start_epoch(5);
        device.start_epoch(5, 4);  // resumed at batch 4
        QVERIFY(torch::equal(device.next(), host.assemble(5, 4)));
        // A centre crop without flips, and grey images.
        DecodeOptions grey;
        grey.size = 12;
        grey.channels = 1;
        const auto one_channel = std::make_shared<DecodedImages>(random_images(3, 24, grey));
        const BatchLoaderOptions centre = options(6, 8, 1);
        BatchLoader host_grey(one_channel, centre);
        DeviceBatches device_grey(one_channel, centre, c10::Device(c10::kCPU));
        host_grey.start_epoch(1);
        device_grey.start_epoch(1);
        QVERIFY(torch::equal(device_grey.next(), host_grey.assemble(1, 0)));
        try {
            DeviceBatches too_few(images(10, 8), options(64, 8, 1), c10::Device(c10::kCPU));
            QFAIL("accepted");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("10 usable images"), e.what());
        }
    }

    // Byte batches (for a GPU to scale) hold the same crops and flips, and
    // scale to exactly the float batches.
    void byte_batches_scale_to_the_float_batches() {
        const auto data = images(48, 10);
        BatchLoaderOptions o = augmented(8, 8, 2);
        BatchLoader floats(data, o);
        o.bytes = true;
        BatchLoader bytes(data, o);
        floats.start_epoch(1);
        bytes.start_epoch(1);
        for (std::int64_t b = 0; b < floats.batches_per_epoch(); ++b) {
            const at::Tensor raw = bytes.next();
            QCOMPARE(raw.scalar_type(), at::kByte);
            QVERIFY(torch::equal(to_training_range(raw), floats.next()));
        }
    }

    void too_few_images_for_a_batch() {
        try {
            BatchLoader loader(images(10, 8), options(64, 8, 1));
            QFAIL("accepted");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("10 usable images"), e.what());
            QVERIFY(QString(e.what()).contains("64"));
        }
    }
};

QTEST_APPLESS_MAIN(TestBatchLoader)
#include "test_batch_loader.moc"
