// SPDX-License-Identifier: GPL-3.0-or-later
#include <QtTest/QtTest>

#include <cmath>
#include <cstdlib>
#include <string>

#include "common/error.h"
#include "data/synthetic_faces.h"

using namespace latentlab;

namespace {

constexpr int kFlipSize = 64;  // size of the attribute-flip renders

// A face with every varying quantity fixed, centred, with short hair.
FaceAttributes reference_face() {
    FaceAttributes f;
    f.male = true;
    f.smiling = false;
    f.mustache = false;
    f.eyeglasses = false;
    f.long_hair = false;
    f.hair = HairColour::Black;
    f.skin_tone = 0.3f;
    f.face_width = 0.46f;
    f.face_height = 0.56f;
    f.offset_x = 0.f;
    f.offset_y = 0.f;
    f.jaw = 0.7f;
    return f;
}

// A box in face-relative units (fractions of the image size from the face
// centre at (0.5, 0.47), the renderer's layout for a face without offset).
struct Region {
    float x0, y0, x1, y1;
};
constexpr Region kEyes{-0.20f, -0.08f, 0.20f, 0.02f};
constexpr Region kMouth{-0.12f, 0.14f, 0.12f, 0.26f};
constexpr Region kMustache{-0.12f, 0.07f, 0.12f, 0.12f};
constexpr Region kBackground{-0.5f, -0.47f, -0.38f, -0.35f};  // top-left corner

// Mean absolute difference per channel value inside a region.
double region_difference(const Image& a, const Image& b, Region r) {
    const int x0 = static_cast<int>((0.5f + r.x0) * a.width), x1 = static_cast<int>((0.5f + r.x1) * a.width);
    const int y0 = static_cast<int>((0.47f + r.y0) * a.height), y1 = static_cast<int>((0.47f + r.y1) * a.height);
    double sum = 0.0;
    int n = 0;
    for (int y = std::max(0, y0); y < std::min(a.height, y1); ++y)
        for (int x = std::max(0, x0); x < std::min(a.width, x1); ++x)
            for (int c = 0; c < a.channels; ++c, ++n)
                sum += std::abs(int(a.at(x, y)[c]) - int(b.at(x, y)[c]));
    return n ? sum / n : 0.0;
}

double fraction(const DecodedImages& d, const char* column) {
    const int c = d.attributes.column(column);
    if (c < 0) return -1.0;
    int yes = 0;
    for (const auto& row : d.attributes.values) yes += row[c] > 0;
    return double(yes) / double(d.attributes.values.size());
}

} // namespace

class TestSyntheticFaces : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void a_cancel_token_stops_the_drawing() {
        std::atomic<bool> cancel{true};
        DecodeOptions options;
        options.size = 32;
        options.cancel = &cancel;
        try {
            synthetic_faces(1, 100000, options);
            QFAIL("a cancelled draw returned");
        } catch (const Cancelled& e) {
            QVERIFY2(std::string(e.what()).find("cancelled") != std::string::npos, e.what());
        }
        cancel = false;
        QCOMPARE(synthetic_faces(1, 8, options).count(), std::size_t{8});
    }

    void determinism_data() {
        QTest::addColumn<int>("size");
        QTest::addColumn<int>("channels");
        QTest::newRow("32 rgb") << 32 << 3;
        QTest::newRow("32 gray") << 32 << 1;
        QTest::newRow("17 rgb") << 17 << 3;
        QTest::newRow("64 natural") << 64 << 0;
    }
    void determinism() {
        QFETCH(int, size);
        QFETCH(int, channels);
        DecodeOptions one{size, channels, 1}, three{size, channels, 3};
        const DecodedImages a = synthetic_faces(1234, 40, one);
        const DecodedImages b = synthetic_faces(1234, 40, one);
        const DecodedImages c = synthetic_faces(1234, 40, three);
        const DecodedImages other = synthetic_faces(1235, 40, one);
        QCOMPARE(a.count(), std::size_t(40));
        QVERIFY(a.pixels == b.pixels);
        QVERIFY(a.pixels == c.pixels);
        QVERIFY(a.names == c.names);
        QVERIFY(a.attributes.values == c.attributes.values);
        QVERIFY(a.pixels != other.pixels);
        // A face does not depend on how many were asked for.
        const DecodedImages fewer = synthetic_faces(1234, 7, three);
        QVERIFY(std::equal(fewer.pixels.begin(), fewer.pixels.end(), a.pixels.begin()));
        // Neighbouring faces differ from each other.
        QVERIFY(!std::equal(a.image(0), a.image(0) + a.image_bytes(), a.image(1)));
    }

    void attributes_are_per_index() {
        for (std::uint64_t i = 0; i < 50; ++i) {
            const FaceAttributes x = synthetic_face_attributes(99, i);
            const FaceAttributes y = synthetic_face_attributes(99, i);
            QCOMPARE(synthetic_face_attribute_row(x), synthetic_face_attribute_row(y));
            QCOMPARE(x.skin_tone, y.skin_tone);
            QCOMPARE(x.offset_x, y.offset_x);
        }
        int same = 0;
        for (std::uint64_t i = 0; i < 50; ++i)
            same += synthetic_face_attributes(1, i).skin_tone == synthetic_face_attributes(2, i).skin_tone;
        QVERIFY(same < 5);
    }

    void frequencies() {
        constexpr std::size_t kCount = 2000;
        const DecodedImages d = synthetic_faces(7, kCount, DecodeOptions{16, 1, 2});
        QCOMPARE(d.attributes.names, synthetic_face_attribute_names());
        QCOMPARE(d.attributes.values.size(), kCount);
        QCOMPARE(d.names.size(), kCount);
        QCOMPARE(d.names.front(), std::string("synthetic_000000.png"));
        QCOMPARE(d.names[1234], std::string("synthetic_001234.png"));

        int males = 0, male_mustache = 0, female_mustache = 0, females = 0, female_long = 0, male_long = 0;
        for (std::size_t i = 0; i < kCount; ++i) {
            const FaceAttributes f = synthetic_face_attributes(7, i);
            QCOMPARE(d.attributes.values[i], synthetic_face_attribute_row(f));
            QVERIFY(f.skin_tone >= 0.f && f.skin_tone <= 1.f);
            QVERIFY(std::fabs(f.offset_x) <= 0.05f && std::fabs(f.offset_y) <= 0.05f);
            QVERIFY(f.face_width > 0.3f && f.face_width < 0.6f);
            QVERIFY(f.face_height > 0.4f && f.face_height < 0.7f);
            int hair_columns = 0;
            for (int c = 4; c <= 8; ++c) hair_columns += d.attributes.values[i][c] > 0;
            QCOMPARE(hair_columns, 1);
            (f.male ? males : females)++;
            (f.male ? male_mustache : female_mustache) += f.mustache;
            (f.male ? male_long : female_long) += f.long_hair;
        }
        QCOMPARE(female_mustache, 0);
        auto within = [](double v, double lo, double hi) { return v >= lo && v <= hi; };
        QVERIFY2(within(fraction(d, "Male"), 0.45, 0.55), "Male");
        QVERIFY2(within(fraction(d, "Smiling"), 0.45, 0.55), "Smiling");
        QVERIFY2(within(fraction(d, "Eyeglasses"), 0.21, 0.29), "Eyeglasses");
        QVERIFY2(within(fraction(d, "Pale_Skin"), 0.21, 0.29), "Pale_Skin");
        QVERIFY2(within(double(male_mustache) / males, 0.34, 0.46), "Mustache given male");
        QVERIFY2(within(double(female_long) / females, 0.70, 0.80), "Long hair given female");
        QVERIFY2(within(double(male_long) / males, 0.06, 0.14), "Long hair given male");
        for (const char* hair : {"Black_Hair", "Brown_Hair", "Blond_Hair", "Red_Hair", "Gray_Hair"})
            QVERIFY2(within(fraction(d, hair), 0.06, 0.36), hair);
    }

    void dimensions_data() {
        QTest::addColumn<int>("size");
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("expected_channels");
        for (int size : {16, 32, 64, 128}) {
            for (int channels : {0, 1, 3}) {
                const std::string name = std::to_string(size) + "px c" + std::to_string(channels);
                QTest::newRow(name.c_str()) << size << channels << (channels == 0 ? 3 : channels);
            }
        }
    }
    void dimensions() {
        QFETCH(int, size);
        QFETCH(int, channels);
        QFETCH(int, expected_channels);
        const DecodedImages d = synthetic_faces(3, 5, DecodeOptions{size, channels, 2});
        QCOMPARE(d.size, size);
        QCOMPARE(d.channels, expected_channels);
        QCOMPARE(d.count(), std::size_t(5));
        QCOMPARE(d.pixels.size(), std::size_t(5) * size * size * expected_channels);
        // The image is not blank: pixel values spread widely.
        const auto [lo, hi] = std::minmax_element(d.image(4), d.image(4) + d.image_bytes());
        QVERIFY(*hi - *lo > 100);
        const Image one = render_synthetic_face(synthetic_face_attributes(3, 4), size, expected_channels);
        QCOMPARE(one.width, size);
        QCOMPARE(one.height, size);
        QCOMPARE(one.channels, expected_channels);
        QVERIFY(std::equal(one.pixels.begin(), one.pixels.end(), d.image(4)));
    }

    void attribute_flip_data() {
        QTest::addColumn<QString>("attribute");
        QTest::addColumn<int>("changed_region");    // index into regions()
        QTest::addColumn<int>("unchanged_region");  // index into regions()
        // Regions: 0 eyes, 1 mouth, 2 above the mouth, 3 background.
        QTest::newRow("smiling: mouth changes") << "smiling" << 1 << 0;
        QTest::newRow("smiling: background stays") << "smiling" << 1 << 3;
        QTest::newRow("eyeglasses: eyes change") << "eyeglasses" << 0 << 1;
        QTest::newRow("eyeglasses: background stays") << "eyeglasses" << 0 << 3;
        QTest::newRow("mustache: above mouth changes") << "mustache" << 2 << 0;
        QTest::newRow("mustache: background stays") << "mustache" << 2 << 3;
    }
    void attribute_flip() {
        QFETCH(QString, attribute);
        QFETCH(int, changed_region);
        QFETCH(int, unchanged_region);
        const Region regions[] = {kEyes, kMouth, kMustache, kBackground};
        constexpr double kStrongChange = 25.0;  // mean absolute difference, 0..255
        for (bool male : {true, false}) {
            if (attribute == "mustache" && !male) continue;
            for (float tone : {0.05f, 0.5f, 0.95f}) {
                FaceAttributes off = reference_face();
                off.male = male;
                off.skin_tone = tone;
                FaceAttributes on = off;
                if (attribute == "smiling") on.smiling = true;
                else if (attribute == "eyeglasses") on.eyeglasses = true;
                else on.mustache = true;
                for (int channels : {1, 3}) {
                    const Image a = render_synthetic_face(off, kFlipSize, channels);
                    const Image b = render_synthetic_face(on, kFlipSize, channels);
                    const double changed = region_difference(a, b, regions[changed_region]);
                    const double unchanged = region_difference(a, b, regions[unchanged_region]);
                    const QByteArray what = QStringLiteral("male %1 tone %2 channels %3: changed %4, unchanged %5")
                                                .arg(male).arg(tone).arg(channels).arg(changed).arg(unchanged)
                                                .toUtf8();
                    QVERIFY2(changed > kStrongChange, what.constData());
                    QVERIFY2(unchanged == 0.0, what.constData());
                }
            }
        }
    }

    void bad_values_data() {
        QTest::addColumn<qulonglong>("count");
        QTest::addColumn<int>("size");
        QTest::addColumn<int>("channels");
        QTest::addColumn<QString>("named");
        QTest::newRow("count 0") << qulonglong(0) << 32 << 3 << "0";
        QTest::newRow("size 7") << qulonglong(4) << 7 << 3 << "7";
        QTest::newRow("size 0") << qulonglong(4) << 0 << 3 << "0";
        QTest::newRow("size 513") << qulonglong(4) << 513 << 3 << "513";
        QTest::newRow("size -32") << qulonglong(4) << -32 << 3 << "-32";
        QTest::newRow("channels 2") << qulonglong(4) << 32 << 2 << "2";
        QTest::newRow("channels 4") << qulonglong(4) << 32 << 4 << "4";
        QTest::newRow("channels -1") << qulonglong(4) << 32 << -1 << "-1";
    }
    void bad_values() {
        QFETCH(qulonglong, count);
        QFETCH(int, size);
        QFETCH(int, channels);
        QFETCH(QString, named);
        try {
            synthetic_faces(1, count, DecodeOptions{size, channels, 2});
            QFAIL("no exception");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find(named.toStdString()) != std::string::npos, e.what());
        }
    }

    void bad_render_values() {
        const FaceAttributes f = reference_face();
        QVERIFY_THROWS_EXCEPTION(Error, render_synthetic_face(f, 4, 3));
        QVERIFY_THROWS_EXCEPTION(Error, render_synthetic_face(f, 1000, 3));
        QVERIFY_THROWS_EXCEPTION(Error, render_synthetic_face(f, 32, 0));
        QVERIFY_THROWS_EXCEPTION(Error, render_synthetic_face(f, 32, 2));
        QCOMPARE(render_synthetic_face(f, 8, 1).pixels.size(), std::size_t(64));
        QCOMPARE(render_synthetic_face(f, 512, 3).pixels.size(), std::size_t(512 * 512 * 3));
    }

    void zero_workers_still_draw_every_face() {
        const DecodedImages a = synthetic_faces(5, 6, DecodeOptions{24, 3, 0});
        const DecodedImages b = synthetic_faces(5, 6, DecodeOptions{24, 3, 8});
        QCOMPARE(a.count(), std::size_t(6));
        QVERIFY(a.pixels == b.pixels);
    }
};

QTEST_APPLESS_MAIN(TestSyntheticFaces)
#include "test_synthetic_faces.moc"
