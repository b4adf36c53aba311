// SPDX-License-Identifier: GPL-3.0-or-later
// IDX (MNIST-style) decoding against the real Fashion-MNIST files, plus the
// pure C++ resize helpers it relies on.
#include "error_of.h"
#include "common/error.h"
#include "data/idx_file.h"
#include "imaging/resize.h"
#include "peak_memory.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <zlib.h>

#include <QElapsedTimer>

#include <numeric>
#include <random>

using namespace latentlab;

namespace {

const QString kDir = QStringLiteral("/usr/share/datasets/fashion-mnist/");

QString dataset(const char* name) { return kDir + QLatin1String(name); }

// Decompresses a gzip file with zlib, independently of the code under test.
QByteArray gunzip(const QString& path) {
    QByteArray out;
    gzFile f = gzopen(path.toLocal8Bit().constData(), "rb");
    if (!f) return out;
    char buf[1 << 16];
    int n;
    while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, n);
    gzclose(f);
    return out;
}

bool write_file(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

// An IDX header: magic 00 00 08 <dims.size()>, then each size big-endian.
QByteArray idx_header(std::initializer_list<std::uint32_t> dims) {
    QByteArray out;
    out.append(char(0)).append(char(0)).append(char(8)).append(char(dims.size()));
    for (std::uint32_t d : dims)
        for (int shift = 24; shift >= 0; shift -= 8) out.append(char((d >> shift) & 0xff));
    return out;
}

// Writes bytes as one gzip stream.
bool write_gzip(const QString& path, const QByteArray& bytes) {
    gzFile f = gzopen(path.toLocal8Bit().constData(), "wb9");
    if (!f) return false;
    const int n = gzwrite(f, bytes.constData(), unsigned(bytes.size()));
    return gzclose(f) == Z_OK && n == bytes.size();
}

QByteArray read_all(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Bytes that deflate cannot shrink.
QByteArray noise_bytes(int n) {
    std::mt19937 rng(7);
    QByteArray out(n, Qt::Uninitialized);
    for (char& c : out) c = char(rng() & 0xff);
    return out;
}

constexpr std::uint64_t kMiB = 1 << 20;

} // namespace

class TestIdxFile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() {
        const char* tag = QTest::currentTestFunction();
        if (QByteArray(tag).startsWith("resize") || QByteArray(tag).startsWith("convert") ||
            QByteArray(tag).startsWith("hostile"))
            return;
        if (!QFile::exists(dataset("t10k-images-idx3-ubyte.gz")) || !QFile::exists(dataset("train-images-idx3-ubyte.gz")))
            QSKIP("Fashion-MNIST is not installed in /usr/share/datasets/fashion-mnist");
    }

    // --- hostile headers (no dataset needed; first, while the peak is low) ---

    void hostile_header_claiming_a_million_images_data() {
        QTest::addColumn<bool>("gzip");
        QTest::addColumn<bool>("labels");
        QTest::addColumn<QString>("reason");
        QTest::newRow("raw images") << false << false
                                    << "truncated IDX file: expected 784000000 bytes of pixels, found 0";
        QTest::newRow("gzip images") << true << false
                                     << "truncated IDX file: expected 784000000 bytes of pixels, more than ";
        QTest::newRow("raw labels") << false << true
                                    << "truncated IDX file: expected 2000000000 bytes of labels, found 0";
        QTest::newRow("gzip labels") << true << true
                                     << "truncated IDX file: expected 2000000000 bytes of labels, more than ";
    }
    void hostile_header_claiming_a_million_images() {
        QFETCH(bool, gzip);
        QFETCH(bool, labels);
        QFETCH(QString, reason);
        QTemporaryDir tmp;
        const QString path = tmp.filePath(labels ? "huge-labels-idx1-ubyte" : "huge-images-idx3-ubyte");
        const QByteArray header = labels ? idx_header({2000000000u}) : idx_header({1000000u, 28, 28});
        QVERIFY(gzip ? write_gzip(path, header) : write_file(path, header));
        QString msg;
        QElapsedTimer timer;
        timer.start();
        const std::uint64_t grew = test::peak_rss_growth([&] {
            msg = error_of([&] {
                if (labels) read_idx_labels(path.toStdString());
                else decode_idx_images(path.toStdString(), DecodeOptions{});
            });
        });
        const qint64 ms = timer.elapsed();
        QVERIFY2(msg.startsWith(path + ": " + reason), qPrintable(msg));
        // Refused from the header and the file size alone: a zero-filled
        // buffer for a million 64 x 64 images would take 4 GB and seconds.
        QVERIFY2(grew < 16 * kMiB, qPrintable(QString("peak memory grew by %1 bytes").arg(grew)));
        QVERIFY2(ms < 250, qPrintable(QString("took %1 ms").arg(ms)));
    }

    void hostile_short_gzip_is_read_as_it_inflates() {
        // 100 real images behind a header that declares 100,000: the gzip data
        // (78 KB of noise) could in principle inflate to the 78.4 MB declared,
        // so only decompressing shows the lie. The buffer must grow with what
        // arrives, never be sized from the header (410 MB at 64 px).
        QTemporaryDir tmp;
        const QString path = tmp.filePath("short-images-idx3-ubyte.gz");
        QVERIFY(write_gzip(path, idx_header({100000u, 28, 28}) + noise_bytes(100 * 784)));
        QVERIFY(std::uint64_t(QFileInfo(path).size()) * 1032 > 100000ull * 784);
        QString msg;
        const std::uint64_t grew = test::peak_rss_growth([&] {
            msg = error_of([&] { decode_idx_images(path.toStdString(), DecodeOptions{}); });
        });
        QCOMPARE(msg, path + ": truncated IDX file: expected 78400000 bytes of pixels, found 78400");
        QVERIFY2(grew < 64 * kMiB, qPrintable(QString("peak memory grew by %1 bytes").arg(grew)));
    }

    void hostile_gzip_cut_mid_stream() {
        QTemporaryDir tmp;
        const QString whole = tmp.filePath("whole-images-idx3-ubyte.gz");
        QVERIFY(write_gzip(whole, idx_header({200u, 28, 28}) + noise_bytes(200 * 784)));
        const QByteArray gz = read_all(whole);
        const QString path = tmp.filePath("cut-images-idx3-ubyte.gz");
        QVERIFY(write_file(path, gz.left(gz.size() / 2)));
        const QString msg = error_of([&] { decode_idx_images(path.toStdString(), DecodeOptions{}); });
        QVERIFY2(msg.startsWith(path + ": truncated IDX file: expected 156800 bytes of pixels, found "), qPrintable(msg));
        // The whole stream decodes: what is there is all read.
        QCOMPARE(decode_idx_images(whole.toStdString(), DecodeOptions{}).count(), std::size_t(200));
    }

    void decodes_counts_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("count");
        QTest::newRow("train") << dataset("train-images-idx3-ubyte.gz") << 60000;
        QTest::newRow("t10k") << dataset("t10k-images-idx3-ubyte.gz") << 10000;
    }
    void decodes_counts() {
        QFETCH(QString, file);
        QFETCH(int, count);
        DecodeOptions opt;
        opt.size = 32;
        opt.channels = 0;
        const DecodedImages d = decode_idx_images(file.toStdString(), opt);
        QCOMPARE(d.size, 32);
        QCOMPARE(d.channels, 1);
        QCOMPARE(d.image_bytes(), std::size_t(32 * 32));
        QCOMPARE(d.count(), std::size_t(count));
        QCOMPARE(d.pixels.size(), std::size_t(count) * 1024);
        QCOMPARE(d.names.size(), std::size_t(count));
        const QString base = QFileInfo(file).fileName();
        QCOMPARE(QString::fromStdString(d.names.front()), base + "#0");
        QCOMPARE(QString::fromStdString(d.names.back()), base + "#" + QString::number(count - 1));
        QVERIFY(d.skipped.empty());
        QVERIFY(d.attributes.empty());
        // Fashion-MNIST images are dark backgrounds with bright garments.
        const auto mx = *std::max_element(d.pixels.begin(), d.pixels.end());
        QCOMPARE(int(mx), 255);
        QCOMPARE(int(d.image(0)[0]), 0);  // corner of the first image is background
    }

    void native_size_keeps_raw_pixels() {
        DecodeOptions opt;
        opt.size = 28;
        opt.channels = 1;
        const DecodedImages d = decode_idx_images(dataset("t10k-images-idx3-ubyte.gz").toStdString(), opt);
        QCOMPARE(d.count(), std::size_t(10000));
        const QByteArray raw = gunzip(dataset("t10k-images-idx3-ubyte.gz"));
        QCOMPARE(raw.size(), 16 + 10000 * 784);
        QVERIFY(std::equal(d.pixels.begin(), d.pixels.end(), reinterpret_cast<const std::uint8_t*>(raw.constData()) + 16));
        // Values checked with Python's gzip module.
        const std::uint8_t* first = d.image(0);
        QCOMPARE(std::accumulate(first, first + 784, 0), 33456);
        const int row14[] = {0, 0, 0, 0, 0, 0, 2, 4, 1, 0, 0, 0, 98, 136, 110, 109, 110, 162, 135, 144};
        for (int x = 0; x < 20; ++x) QCOMPARE(int(first[14 * 28 + x]), row14[x]);
    }

    void rgb_replicates_gray() {
        DecodeOptions gray_opt, rgb_opt;
        gray_opt.size = rgb_opt.size = 32;
        gray_opt.channels = 1;
        rgb_opt.channels = 3;
        const std::string path = dataset("t10k-images-idx3-ubyte.gz").toStdString();
        const DecodedImages g = decode_idx_images(path, gray_opt);
        const DecodedImages c = decode_idx_images(path, rgb_opt);
        QCOMPARE(c.channels, 3);
        QCOMPARE(c.count(), g.count());
        QCOMPARE(c.pixels.size(), g.pixels.size() * 3);
        for (std::size_t i = 0; i < g.pixels.size(); i += 997) {
            QCOMPARE(c.pixels[i * 3], g.pixels[i]);
            QCOMPARE(c.pixels[i * 3 + 1], g.pixels[i]);
            QCOMPARE(c.pixels[i * 3 + 2], g.pixels[i]);
        }
    }

    void labels_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("count");
        QTest::addColumn<QList<int>>("first");
        QTest::newRow("train") << dataset("train-labels-idx1-ubyte.gz") << 60000 << QList<int>{9, 0, 0, 3, 0, 2, 7, 2, 5, 5};
        QTest::newRow("t10k") << dataset("t10k-labels-idx1-ubyte.gz") << 10000 << QList<int>{9, 2, 1, 1, 6, 1, 4, 6, 5, 7};
    }
    void labels() {
        QFETCH(QString, file);
        QFETCH(int, count);
        QFETCH(QList<int>, first);
        const std::vector<std::uint8_t> labels = read_idx_labels(file.toStdString());
        QCOMPARE(int(labels.size()), count);
        for (int i = 0; i < first.size(); ++i) QCOMPARE(int(labels[std::size_t(i)]), first[i]);
        std::vector<int> per_class(10, 0);
        for (std::uint8_t l : labels) {
            QVERIFY(l <= 9);
            ++per_class[l];
        }
        for (int n : per_class) QCOMPARE(n, count / 10);  // Fashion-MNIST is balanced
    }

    void raw_copy_decodes_identically() {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const QString raw_path = tmp.filePath("t10k-images-idx3-ubyte");
        QVERIFY(write_file(raw_path, gunzip(dataset("t10k-images-idx3-ubyte.gz"))));
        DecodeOptions opt;
        opt.size = 32;
        const DecodedImages a = decode_idx_images(dataset("t10k-images-idx3-ubyte.gz").toStdString(), opt);
        const DecodedImages b = decode_idx_images(raw_path.toStdString(), opt);
        QCOMPARE(b.count(), a.count());
        QVERIFY(a.pixels == b.pixels);
        QCOMPARE(QString::fromStdString(b.names[5]), QStringLiteral("t10k-images-idx3-ubyte#5"));

        const QString raw_labels = tmp.filePath("t10k-labels-idx1-ubyte");
        QVERIFY(write_file(raw_labels, gunzip(dataset("t10k-labels-idx1-ubyte.gz"))));
        QVERIFY(read_idx_labels(raw_labels.toStdString()) == read_idx_labels(dataset("t10k-labels-idx1-ubyte.gz").toStdString()));
    }

    void bad_files_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("labels");  // read as labels instead of images
        QTest::addColumn<QString>("reason");
        const QByteArray raw = gunzip(dataset("t10k-images-idx3-ubyte.gz"));
        const QByteArray raw_labels = gunzip(dataset("t10k-labels-idx1-ubyte.gz"));
        QTest::newRow("truncated pixels") << "cut-images-idx3-ubyte" << raw.left(16 + 1234) << false
                                          << "truncated IDX file: expected 7840000 bytes of pixels, found 1234";
        QTest::newRow("truncated header") << "short-idx3-ubyte" << raw.left(10) << false << "truncated IDX file: header";
        QTest::newRow("truncated labels") << "cut-labels-idx1-ubyte" << raw_labels.left(8 + 100) << true
                                          << "truncated IDX file: expected 10000 bytes of labels, found 100";
        QTest::newRow("wrong magic") << "magic-idx3-ubyte" << QByteArray("PK\x03\x04 not an idx file at all", 28) << false
                                     << "not an IDX file: magic bytes are 50 4b 03 04";
        QByteArray float_type = raw.left(64);
        float_type[2] = char(0x0D);
        QTest::newRow("float data") << "float-idx3-ubyte" << float_type << false << "unsupported IDX data type 0x0d";
        QTest::newRow("labels as images") << "labels-idx1-ubyte" << raw_labels << false << "has 1 dimension(s), expected 3";
        QTest::newRow("images as labels") << "images-idx3-ubyte" << raw.left(20000) << true << "has 3 dimension(s), expected 1";
        QTest::newRow("empty") << "empty-idx3-ubyte" << QByteArray() << false << "header is 0 bytes";
    }
    void bad_files() {
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        QFETCH(bool, labels);
        QFETCH(QString, reason);
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const std::string path = tmp.filePath(name).toStdString();
        QVERIFY(write_file(QString::fromStdString(path), bytes));
        const QString msg = error_of([&] {
            if (labels) read_idx_labels(path);
            else decode_idx_images(path, DecodeOptions{});
        });
        QVERIFY2(msg.startsWith(QString::fromStdString(path) + ": "), qPrintable(msg));
        QVERIFY2(msg.contains(reason), qPrintable(msg));
        QVERIFY(!msg.contains('\n'));
    }

    void truncated_gzip() {
        QFile src(dataset("t10k-images-idx3-ubyte.gz"));
        QVERIFY(src.open(QIODevice::ReadOnly));
        const QByteArray gz = src.readAll();
        QTemporaryDir tmp;
        const QString path = tmp.filePath("half-images-idx3-ubyte.gz");
        QVERIFY(write_file(path, gz.left(gz.size() / 2)));
        const QString msg = error_of([&] { decode_idx_images(path.toStdString(), DecodeOptions{}); });
        QVERIFY2(msg.startsWith(path + ": truncated IDX file: expected 7840000 bytes of pixels, found "), qPrintable(msg));
    }

    void missing_file() {
        const QString msg = error_of([] { decode_idx_images("/nonexistent/x-idx3-ubyte", DecodeOptions{}); });
        QVERIFY2(msg.startsWith("/nonexistent/x-idx3-ubyte: cannot open"), qPrintable(msg));
        const QString dir_msg = error_of([] { read_idx_labels("/tmp"); });
        QVERIFY2(dir_msg.startsWith("/tmp: "), qPrintable(dir_msg));
    }

    void bad_options() {
        DecodeOptions opt;
        opt.channels = 2;
        QVERIFY(error_of([&] { decode_idx_images(dataset("t10k-images-idx3-ubyte.gz").toStdString(), opt); }).contains("channel"));
        opt.channels = 1;
        opt.size = 0;
        QVERIFY(error_of([&] { decode_idx_images(dataset("t10k-images-idx3-ubyte.gz").toStdString(), opt); }).contains("size"));
    }

    // --- resize helpers -----------------------------------------------------

    void resize_solid_data() {
        QTest::addColumn<int>("w");
        QTest::addColumn<int>("h");
        QTest::addColumn<int>("size");
        QTest::newRow("shrink wide") << 100 << 40 << 16;
        QTest::newRow("shrink tall") << 178 << 218 << 64;
        QTest::newRow("grow") << 28 << 28 << 64;
        QTest::newRow("grow odd") << 7 << 3 << 10;
        QTest::newRow("same") << 32 << 32 << 32;
    }
    void resize_solid() {
        QFETCH(int, w);
        QFETCH(int, h);
        QFETCH(int, size);
        Image src(w, h, 3);
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) { src.at(x, y)[0] = 200; src.at(x, y)[1] = 10; src.at(x, y)[2] = 77; }
        const Image dst = resize_to_square(src, size);
        QCOMPARE(dst.width, size);
        QCOMPARE(dst.height, size);
        QCOMPARE(dst.channels, 3);
        for (int y = 0; y < size; ++y)
            for (int x = 0; x < size; ++x) {
                QCOMPARE(int(dst.at(x, y)[0]), 200);
                QCOMPARE(int(dst.at(x, y)[1]), 10);
                QCOMPARE(int(dst.at(x, y)[2]), 77);
            }
    }

    void resize_area_average() {
        // A 4x4 checkerboard of 0/255 halves to uniform 128 (area average).
        Image src(4, 4, 1);
        for (int y = 0; y < 4; ++y)
            for (int x = 0; x < 4; ++x) src.at(x, y)[0] = ((x + y) % 2) ? 255 : 0;
        const Image dst = resize_to_square(src, 2);
        for (std::uint8_t v : dst.pixels) QCOMPARE(int(v), 128);
    }

    void resize_centre_crop() {
        // 30 wide x 10 high: left third 0, middle third 100, right third 250.
        // Resized to 10 the scale is 1: the crop is exactly the middle third.
        Image src(30, 10, 1);
        for (int y = 0; y < 10; ++y)
            for (int x = 0; x < 30; ++x) src.at(x, y)[0] = x < 10 ? 0 : x < 20 ? 100 : 250;
        const Image dst = resize_to_square(src, 10);
        for (std::uint8_t v : dst.pixels) QCOMPARE(int(v), 100);
        // Growing a 1x2 gradient keeps the ends and interpolates between them.
        Image ramp(2, 1, 1);
        ramp.pixels = {0, 200};
        const Image big = resize_to_square(ramp, 4);  // 8 x 4, crop columns 2..5
        QCOMPARE(big.width, 4);
        QVERIFY(big.at(0, 0)[0] < big.at(3, 0)[0]);
        // Source positions (d + 0.5) * 2/8 - 0.5 for d = 2 and 5: 0.125 and 0.875.
        QCOMPARE(int(big.at(0, 0)[0]), 25);
        QCOMPARE(int(big.at(3, 0)[0]), 175);
    }

    void resize_rejects_bad_input() {
        QVERIFY(!error_of([] { resize_to_square(Image(), 4); }).isEmpty());
        QVERIFY(!error_of([] { resize_to_square(Image(2, 2, 1), 0); }).isEmpty());
    }

    void convert_channels_values() {
        Image rgb(1, 1, 3);
        rgb.pixels = {255, 0, 0};
        QCOMPARE(int(convert_channels(rgb, 1).pixels[0]), 76);  // 0.299 * 255 = 76.2
        rgb.pixels = {0, 255, 0};
        QCOMPARE(int(convert_channels(rgb, 1).pixels[0]), 150);  // 0.587 * 255 = 149.7
        rgb.pixels = {255, 255, 255};
        QCOMPARE(int(convert_channels(rgb, 1).pixels[0]), 255);
        Image gray(2, 1, 1);
        gray.pixels = {7, 99};
        const Image c = convert_channels(gray, 3);
        QCOMPARE(c.channels, 3);
        QVERIFY((c.pixels == std::vector<std::uint8_t>{7, 7, 7, 99, 99, 99}));
        QVERIFY(convert_channels(gray, 1).pixels == gray.pixels);
        QVERIFY(!error_of([&] { convert_channels(gray, 2); }).isEmpty());
    }
};

QTEST_APPLESS_MAIN(TestIdxFile)
#include "test_idx_file.moc"
