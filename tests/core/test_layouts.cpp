// SPDX-License-Identifier: GPL-3.0-or-later
#include <QtTest/QtTest>

#include <QImage>

#include "common/error.h"
#include "imaging/layouts.h"
#include "imaging/png_file.h"

using namespace latentlab;

namespace {
Image solid(int size, int channels, std::uint8_t value) { return Image(size, size, channels, value); }

std::uint8_t pixel(const Image& img, int x, int y, int c = 0) { return img.at(x, y)[c]; }
}

class TestLayouts : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void grid_places_tiles_row_by_row() {
        std::vector<Image> tiles;
        for (int i = 0; i < 10; ++i) tiles.push_back(solid(8, 3, static_cast<std::uint8_t>(10 + i)));
        const Image g = make_grid(tiles, 4, 2);
        QCOMPARE(g.width, 4 * 8 + 5 * 2);
        QCOMPARE(g.height, 3 * 8 + 4 * 2);
        QCOMPARE(int(pixel(g, 2, 2)), 10);                   // index 0 top-left
        QCOMPARE(int(pixel(g, 2 + 3 * 10, 2)), 13);          // index 3 end of the first row
        QCOMPARE(int(pixel(g, 2, 2 + 10)), 14);              // index 4 starts the second row
        QCOMPARE(int(pixel(g, 2 + 10, 2 + 20)), 19);         // index 9
        QCOMPARE(int(pixel(g, 0, 0)), 0);                    // padding
        QCOMPARE(int(pixel(g, 2 + 2 * 10, 2 + 20)), 0);      // empty cell after the last tile
    }

    void strip_has_no_padding() {
        std::vector<Image> frames(6, solid(16, 1, 200));
        const Image s = make_strip(frames);
        QCOMPARE(s.width, 96);
        QCOMPARE(s.height, 16);
        QCOMPARE(s.channels, 1);
        QCOMPARE(int(pixel(s, 95, 15)), 200);
    }

    void tiles_of_different_sizes_are_refused() {
        QVERIFY_THROWS_EXCEPTION(Error, make_grid({solid(8, 3, 0), solid(9, 3, 0)}, 2));
        QVERIFY_THROWS_EXCEPTION(Error, make_grid({}, 2));
    }

    void arithmetic_sheet_layout() {
        ArithmeticSheet s;
        s.a = {solid(8, 3, 1), solid(8, 3, 2), solid(8, 3, 3)};
        s.b = {solid(8, 3, 4)};
        s.c = {solid(8, 3, 5), solid(8, 3, 6)};
        s.mean_a = solid(8, 3, 7);
        s.mean_b = solid(8, 3, 8);
        s.mean_c = solid(8, 3, 9);
        s.result = solid(8, 3, 99);
        const Image sheet = make_arithmetic_sheet(s, 2);
        QCOMPARE(sheet.width, 7 * 8 + 8 * 2);   // seven columns
        QCOMPARE(sheet.height, 4 * 8 + 5 * 2);  // three pick rows and the result row
        const auto cell = [&](int col, int row) { return int(pixel(sheet, 2 + col * 10 + 4, 2 + row * 10 + 1)); };
        QCOMPARE(cell(0, 0), 1);
        QCOMPARE(cell(0, 2), 3);
        QCOMPARE(cell(2, 0), 4);
        QCOMPARE(cell(2, 1), 0);  // B has one pick
        QCOMPARE(cell(4, 1), 6);
        QCOMPARE(cell(0, 3), 7);
        QCOMPARE(cell(2, 3), 8);
        QCOMPARE(cell(4, 3), 9);
        QCOMPARE(cell(6, 3), 99);
        // The sign tiles: a white bar through the middle of '-' and '+', none in the middle of '='.
        const auto centre = [&](int col) { return int(pixel(sheet, 2 + col * 10 + 4, 2 + 3 * 10 + 4)); };
        QCOMPARE(centre(1), 255);
        QCOMPARE(centre(3), 255);
        QCOMPARE(centre(5), 0);
        const Image plus = make_sign_tile(Sign::Plus, 20, 1), minus = make_sign_tile(Sign::Minus, 20, 1);
        QCOMPARE(int(pixel(plus, 10, 6)), 255);   // the vertical bar
        QCOMPARE(int(pixel(minus, 10, 6)), 0);
    }

    void diversity_measures_how_different_tiles_are() {
        QCOMPARE(sample_diversity({solid(8, 3, 10), solid(8, 3, 10), solid(8, 3, 10)}), 0.0);
        // Half the tiles black, half white: the standard deviation is 127.5 everywhere.
        QCOMPARE(sample_diversity({solid(8, 1, 0), solid(8, 1, 255)}), 1.0);
        const double some = sample_diversity({solid(8, 1, 100), solid(8, 1, 120), solid(8, 1, 110)});
        QVERIFY(some > 0.05 && some < 0.1);
    }

    void png_encoders_agree_with_a_decoder() {
        for (int channels : {1, 3}) {
            Image img(23, 17, channels);
            for (std::size_t i = 0; i < img.pixels.size(); ++i) img.pixels[i] = static_cast<std::uint8_t>(i * 7 % 251);
            for (const std::string& bytes : {encode_png(img), encode_png_with_zlib(img)}) {
                QImage decoded;
                QVERIFY(decoded.loadFromData(reinterpret_cast<const uchar*>(bytes.data()), int(bytes.size()), "PNG"));
                QCOMPARE(decoded.width(), 23);
                QCOMPARE(decoded.height(), 17);
                const QImage rgb = decoded.convertToFormat(QImage::Format_RGB888);
                for (int y = 0; y < 17; ++y)
                    for (int x = 0; x < 23; ++x) {
                        const uchar* p = rgb.constScanLine(y) + 3 * x;
                        const std::uint8_t* q = img.at(x, y);
                        QCOMPARE(p[0], q[0]);
                        QCOMPARE(p[2], q[channels == 3 ? 2 : 0]);
                    }
            }
        }
    }

    void write_png_reports_the_path() {
        try {
            write_png("/nonexistent-folder/x.png", solid(4, 3, 0));
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY(QString(e.what()).contains("/nonexistent-folder/x.png"));
        }
    }
};

QTEST_APPLESS_MAIN(TestLayouts)
#include "test_layouts.moc"
