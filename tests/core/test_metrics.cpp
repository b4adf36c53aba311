// SPDX-License-Identifier: GPL-3.0-or-later
#include <QtTest/QtTest>

#include <nlohmann/json.hpp>

#include "data/random_images.h"
#include "run/tfrecord.h"
#include "train/metrics.h"

using namespace latentlab;

namespace {
IterationMetrics iteration(double loss_d, double seconds, double wait = 0) {
    IterationMetrics m;
    m.loss_d = loss_d;
    m.loss_g = 2 * loss_d;
    m.d_x = 0.6;
    m.seconds = seconds;
    m.data_wait_seconds = wait;
    m.images_per_second = 64 / seconds;
    return m;
}
}

class TestMetrics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void running_and_epoch_averages() {
        MetricsMeter meter(0.5);
        meter.start_epoch(2);
        IterationMetrics a = iteration(1.0, 1.0, 0.1), b = iteration(3.0, 3.0, 0.1);
        meter.add(a, 64);
        QCOMPARE(a.avg_loss_d, 1.0);  // the first value starts the average
        meter.add(b, 64);
        QCOMPARE(b.avg_loss_d, 2.0);  // 0.5 * 1 + 0.5 * 3
        IterationMetrics bad = iteration(1.0, 1.0);
        bad.finite = false;
        bad.loss_d = std::numeric_limits<double>::quiet_NaN();
        meter.add(bad, 64);
        QCOMPARE(bad.avg_loss_d, 2.0);  // non-finite values never enter the running average
        const EpochSummary s = meter.epoch_summary();
        QCOMPARE(s.epoch, std::int64_t{2});
        QCOMPARE(s.iterations, std::int64_t{3});
        QCOMPARE(s.seconds, 5.0);
        QCOMPARE(s.images_per_second, 3 * 64 / 5.0);
        QCOMPARE(s.data_wait_share, 0.2 / 5.0);
        // The running average survives a checkpoint.
        MetricsMeter restored(0.5);
        restored.restore(meter.state());
        IterationMetrics c = iteration(4.0, 1.0);
        restored.add(c, 64);
        QCOMPARE(c.avg_loss_d, 3.0);
    }

    void eta_from_the_average_speed() {
        IterationMetrics m = iteration(1.0, 2.0);  // 32 img/s
        m.iteration = 10;
        QCOMPARE(eta_seconds(m, 64, 110), 200.0);  // 100 iterations of 2 s
        m.avg_images_per_second = 64;               // the average wins once known
        QCOMPARE(eta_seconds(m, 64, 110), 100.0);
        QCOMPARE(eta_seconds(m, 64, 10), 0.0);
        m.avg_images_per_second = m.images_per_second = 0;
        QCOMPARE(eta_seconds(m, 64, 110), 0.0);
    }

    void tfrecord_checksums() {
        // CRC-32C's check value, and TFRecord's mask of it.
        QCOMPARE(latentlab::crc32c("123456789"), 0xE3069283u);
        QCOMPARE(latentlab::crc32c(""), 0u);
        const std::uint32_t c = 0xE3069283u;
        QCOMPARE(latentlab::masked_crc32c("123456789"), ((c >> 15) | (c << 17)) + 0xa282ead8u);
    }

    void durations() {
        QCOMPARE(format_duration(0), std::string("00:00"));
        QCOMPARE(format_duration(61.4), std::string("01:01"));
        QCOMPARE(format_duration(3599.6), std::string("1:00:00"));
        QCOMPARE(format_duration(7322), std::string("2:02:02"));
        QCOMPARE(format_duration(-1), std::string("--:--"));
        QCOMPARE(format_duration(std::numeric_limits<double>::quiet_NaN()), std::string("--:--"));
        QCOMPARE(format_duration(1e9), std::string("--:--"));
    }

    void an_image_copied_out_of_decoded_data() {
        DecodeOptions o;
        o.size = 8;
        o.channels = 3;
        const DecodedImages d = random_images(5, 4, o);
        const Image img = d.copy_image(2);
        QCOMPARE(img.width, 8);
        QCOMPARE(img.channels, 3);
        QVERIFY(std::equal(img.pixels.begin(), img.pixels.end(), d.image(2)));
        QVERIFY(!std::equal(img.pixels.begin(), img.pixels.end(), d.image(1)));
    }
};

QTEST_APPLESS_MAIN(TestMetrics)
#include "test_metrics.moc"
