// SPDX-License-Identifier: GPL-3.0-or-later
#include <QtTest/QtTest>

#include <QFile>
#include <QTemporaryDir>

#include <cmath>

#include <torch/torch.h>

#include "error_of.h"
#include "common/error.h"
#include "latent/arithmetic.h"
#include "latent/interpolation.h"
#include "latent/latent_batch.h"
#include "latent/latent_set_file.h"

using namespace latentlab;

namespace {
bool close(const torch::Tensor& a, const torch::Tensor& b, double tol = 1e-5) {
    return torch::allclose(a, b, tol, tol);
}

// A latents file whose fields are spliced in as raw JSON text.
QByteArray latents_json(const QByteArray& version, const QByteArray& nz, const QByteArray& truncation,
                        const QByteArray& value) {
    return "{\"format\": \"latentlab-latents\", \"version\": " + version + ", \"nz\": " + nz +
           ", \"noise\": \"normal\", \"truncation\": " + truncation +
           ", \"groups\": {\"A\": [{\"ref\": null, \"vector\": [0.5, " + value + "]}]}, \"keyframes\": []}";
}
}

class TestLatent : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parse_references() {
        const LatentRef r = parse_latent_ref("7:12");
        QCOMPARE(r.seed, std::uint64_t{7});
        QCOMPARE(r.index, std::int64_t{12});
        QCOMPARE(r.to_string(), std::string("7:12"));
        const auto refs = parse_latent_refs("1:0,1:1,20:63");
        QCOMPARE(refs.size(), std::size_t{3});
        QVERIFY(refs[2] == (LatentRef{20, 63}));
    }

    void bad_references_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("no colon") << "712";
        QTest::newRow("negative") << "7:-1";
        QTest::newRow("letters") << "a:1";
        QTest::newRow("empty index") << "7:";
        QTest::newRow("empty item") << "1:2,,3:4";
    }
    void bad_references() {
        QFETCH(QString, text);
        try {
            parse_latent_refs(text.toStdString());
            QFAIL("accepted");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("latent reference"), e.what());
        }
    }

    void latents_file_round_trip() {
        QTemporaryDir tmp;
        const std::string path = tmp.filePath("set.json").toStdString();
        LatentSet set;
        set.checkpoint = "run/latest.llck";
        set.truncation = 0.7;
        set.groups[0].push_back({LatentRef{7, 3}, {1.5f, -2.25f}});
        set.keyframes.push_back({std::nullopt, {3.4e38f, -1e-30f}});  // float's extremes survive
        save_latent_set(path, set);
        const LatentSet back = load_latent_set(path, 2);
        QCOMPARE(back.truncation, 0.7);
        QVERIFY(back.groups[0][0].ref == (LatentRef{7, 3}));
        QVERIFY(back.groups[0][0].vector == (std::vector<float>{1.5f, -2.25f}));
        QVERIFY(back.keyframes[0].vector == set.keyframes[0].vector);
    }

    void hostile_latents_values_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("reason");
        // Each would be converted out of range (undefined behaviour) if read
        // straight into the float or integer it ends up as.
        QTest::newRow("value beyond float") << latents_json("1", "2", "1.0", "1e300")
                                            << "group A entry 1: vector value 1e+300 does not fit in a float";
        QTest::newRow("value just beyond float") << latents_json("1", "2", "1.0", "-3.5e38")
                                                 << "group A entry 1: vector value -3.5e+38 does not fit in a float";
        QTest::newRow("nz huge float") << latents_json("1", "1e300", "1.0", "1") << "nz 1e+300 is out of range (0..4096)";
        QTest::newRow("nz beyond int64") << latents_json("1", "99999999999999999999", "1.0", "1")
                                         << "nz 1e+20 is out of range (0..4096)";
        QTest::newRow("nz beyond uint32") << latents_json("1", "4294967298", "1.0", "1")
                                          << "nz 4294967298 is out of range (0..4096)";
        QTest::newRow("nz negative") << latents_json("1", "-2", "1.0", "1") << "nz -2 is out of range (0..4096)";
        QTest::newRow("nz fraction") << latents_json("1", "2.5", "1.0", "1") << "nz 2.5 is out of range (0..4096)";
        QTest::newRow("version huge float") << latents_json("1e300", "2", "1.0", "1")
                                            << "version 1e+300 is not supported (expected 1)";
        QTest::newRow("version 2^64 - 1") << latents_json("18446744073709551615", "2", "1.0", "1")
                                          << "version 18446744073709551615 is not supported (expected 1)";
        QTest::newRow("truncation huge") << latents_json("1", "2", "1e300", "1")
                                         << "truncation 1e+300 is out of range (0..4.0)";
        QTest::newRow("truncation negative") << latents_json("1", "2", "-0.5", "1")
                                             << "truncation -0.5 is out of range (0..4.0)";
        QTest::newRow("truncation text") << latents_json("1", "2", "\"big\"", "1")
                                         << "truncation \"big\" is out of range (0..4.0)";
    }
    // Found by fuzz_latents_json: the JSON parser throws out_of_range, not
    // parse_error, for a number beyond a double; it escaped as a crash.
    void a_number_beyond_double_is_an_error_not_a_crash() {
        QTemporaryDir tmp;
        const QString path = tmp.filePath("huge.json");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(latents_json("1", "2", "1.0", "299e99999"));
        f.close();
        const QString msg = error_of([&] { load_latent_set(path.toStdString()); });
        QVERIFY2(msg.startsWith(path + ": not valid JSON ("), qPrintable(msg));
    }

    void hostile_latents_values() {
        QFETCH(QByteArray, text);
        QFETCH(QString, reason);
        QTemporaryDir tmp;
        const QString path = tmp.filePath("hostile.json");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text);
        f.close();
        const QString msg = error_of([&] { load_latent_set(path.toStdString()); });
        QCOMPARE(msg, path + ": " + reason);
    }

    void batches_are_deterministic_and_prefix_stable() {
        const auto a = latent_batch(5, 64, 100);
        const auto b = latent_batch(5, 8, 100);
        QCOMPARE(a.sizes().vec(), (std::vector<int64_t>{64, 100}));
        QVERIFY(torch::equal(a.slice(0, 0, 8), b));
        QVERIFY(!torch::equal(a, latent_batch(6, 64, 100)));
        // A reference is the row of its batch, drawn alone.
        QVERIFY(torch::equal(latents_for({{5, 17}, {5, 3}}, 100), torch::stack({a[17], a[3]})));
        // Normal rows have norm about sqrt(nz); uniform rows stay in [-1, 1].
        QVERIFY(std::abs(a.norm(2, 1).mean().item<double>() - 10.0) < 0.5);
        const auto u = latent_batch(5, 16, 100, NoiseKind::Uniform);
        QVERIFY(u.abs().max().item<float>() <= 1.0f);
        QVERIFY(u.min().item<float>() < -0.9f);
    }

    void arithmetic_matches_hand_computation() {
        const auto a = torch::tensor({{1.0f, 2.0f}, {3.0f, 4.0f}});          // mean (2, 3)
        const auto b = torch::tensor({{10.0f, 0.0f}});                        // mean (10, 0)
        const auto c = torch::tensor({{0.0f, 1.0f}, {0.0f, 3.0f}, {3.0f, 2.0f}});  // mean (1, 2)
        QVERIFY(close(latent_arithmetic(a, b, c), torch::tensor({-7.0f, 5.0f})));
        QVERIFY(close(group_mean(a), torch::tensor({2.0f, 3.0f})));
        QVERIFY_THROWS_EXCEPTION(Error, group_mean(torch::zeros({0, 2})));
        QVERIFY_THROWS_EXCEPTION(Error, latent_arithmetic(a, torch::zeros({1, 3}), c));
    }

    void lerp_and_slerp_endpoints() {
        const auto a = torch::tensor({3.0f, 0.0f, 0.0f});
        const auto b = torch::tensor({0.0f, 4.0f, 0.0f});
        for (auto mode : {InterpolationMode::Lerp, InterpolationMode::Slerp}) {
            QVERIFY(close(interpolate(a, b, 0.0, mode), a));
            QVERIFY(close(interpolate(a, b, 1.0, mode), b));
        }
        QVERIFY(close(lerp(a, b, 0.5), torch::tensor({1.5f, 2.0f, 0.0f})));
        // Slerp halfway between perpendicular vectors: 45 degrees, norm (3 + 4) / 2.
        const float n = 3.5f / std::sqrt(2.0f);
        QVERIFY(close(slerp(a, b, 0.5), torch::tensor({n, n, 0.0f})));
    }

    void slerp_keeps_the_norm_of_equal_norm_endpoints() {
        const auto z = latent_batch(9, 2, 100);
        const auto a = z[0] / z[0].norm() * 10.0, b = z[1] / z[1].norm() * 10.0;
        for (double t : {0.1, 0.25, 0.5, 0.75, 0.9}) {
            QVERIFY(std::abs(slerp(a, b, t).norm().item<double>() - 10.0) < 1e-4);
            QVERIFY(lerp(a, b, t).norm().item<double>() < 9.9);  // the straight line cuts inside
        }
    }

    void slerp_fallbacks() {
        const auto a = torch::tensor({1.0f, 2.0f, 2.0f});  // norm 3
        // Parallel: the same as lerp.
        QVERIFY(close(slerp(a, a * 2.0, 0.3), lerp(a, a * 2.0, 0.3)));
        // Anti-parallel: still finite, norm interpolated, midpoint perpendicular to both ends.
        const auto mid = slerp(a, -a, 0.5);
        QVERIFY(torch::isfinite(mid).all().item<bool>());
        QVERIFY(std::abs(mid.norm().item<double>() - 3.0) < 1e-4);
        QVERIFY(std::abs((mid * a).sum().item<double>()) < 1e-4);
        QVERIFY(close(slerp(a, -a, 1.0), -a));
        // Zero vector: lerp.
        QVERIFY(close(slerp(torch::zeros(3), a, 0.5), a * 0.5));
    }

    void paths_through_keyframes() {
        const auto keys = torch::tensor({{0.0f, 0.0f}, {2.0f, 0.0f}, {2.0f, 4.0f}});
        const auto path = interpolation_path(keys, 5, InterpolationMode::Lerp);
        QCOMPARE(path.size(0), int64_t{5});
        QVERIFY(close(path[0], keys[0]));
        QVERIFY(close(path[2], keys[1]));
        QVERIFY(close(path[4], keys[2]));
        QVERIFY(close(path[1], torch::tensor({1.0f, 0.0f})));
        QVERIFY(close(path_point(keys, 1.5, InterpolationMode::Lerp), torch::tensor({2.0f, 2.0f})));
        QVERIFY_THROWS_EXCEPTION(Error, interpolation_path(keys, 1, InterpolationMode::Lerp));
        QVERIFY_THROWS_EXCEPTION(Error, interpolation_path(keys.slice(0, 0, 1), 4, InterpolationMode::Slerp));
        QVERIFY_THROWS_EXCEPTION(Error, parse_interpolation_mode("cubic"));
    }
};

QTEST_APPLESS_MAIN(TestLatent)
#include "test_latent.moc"
