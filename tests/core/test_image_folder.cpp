// SPDX-License-Identifier: GPL-3.0-or-later
// Image-folder decoding with OpenCV: formats, nesting, bad files, order.
#include "error_of.h"
#include "common/error.h"
#include "data/decode_journal.h"
#include "data/image_folder.h"
#include "imaging/image_header.h"
#include "peak_memory.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <zlib.h>

#include <climits>
#include <filesystem>
#include <map>
#include <numeric>

using namespace latentlab;

namespace {

bool write_bytes(const QString& path, const QByteArray& bytes) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

bool write_image(const QString& path, const cv::Mat& m, const std::vector<int>& params = {}) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    return cv::imwrite(path.toStdString(), m, params);
}

QByteArray encode(const char* ext, const cv::Mat& m) {
    std::vector<uchar> buf;
    cv::imencode(ext, m, buf);
    return QByteArray(reinterpret_cast<const char*>(buf.data()), int(buf.size()));
}

cv::Mat noise(int w, int h) {
    cv::Mat m(h, w, CV_8UC3);
    cv::randu(m, 0, 256);
    return m;
}

// Solid BGR image.
cv::Mat solid(int w, int h, int b, int g, int r) { return cv::Mat(h, w, CV_8UC3, cv::Scalar(b, g, r)); }

struct Rgb {
    int r, g, b;
};

// Every pixel of image i is within tol of want.
bool all_near(const DecodedImages& d, std::size_t i, Rgb want, int tol, QString* why) {
    const std::uint8_t* p = d.image(i);
    const int n = d.size * d.size;
    for (int k = 0; k < n; ++k) {
        const std::uint8_t* px = p + k * d.channels;
        const int got[3] = {px[0], d.channels == 3 ? px[1] : px[0], d.channels == 3 ? px[2] : px[0]};
        const int exp[3] = {want.r, want.g, want.b};
        for (int c = 0; c < 3; ++c)
            if (std::abs(got[c] - exp[c]) > tol) {
                *why = QString("%1 pixel %2: got (%3,%4,%5), want (%6,%7,%8)")
                           .arg(QString::fromStdString(d.names[i])).arg(k)
                           .arg(got[0]).arg(got[1]).arg(got[2]).arg(exp[0]).arg(exp[1]).arg(exp[2]);
                return false;
            }
    }
    return true;
}

// The standard fixture tree; returns its root.
void build_fixture(const QString& root) {
    write_image(root + "/a/b/c/red.jpg", solid(40, 50, 0, 0, 255), {cv::IMWRITE_JPEG_QUALITY, 95});
    write_image(root + "/a/gray.png", cv::Mat(20, 30, CV_8UC1, cv::Scalar(100)));
    write_image(root + "/a/b/blue.bmp", solid(17, 23, 255, 0, 0));
    write_image(root + "/green.webp", solid(24, 24, 0, 255, 0), {cv::IMWRITE_WEBP_QUALITY, 101});  // lossless
    write_image(root + "/a/b/c/rgba.png", cv::Mat(20, 20, CV_8UC4, cv::Scalar(0, 0, 255, 128)));  // half-transparent red
    write_image(root + "/white16.png", cv::Mat(12, 12, CV_16UC1, cv::Scalar(65535)));
    write_image(root + "/photo.tiff", solid(30, 20, 30, 20, 10));
    write_image(root + "/UPPER.JPG", solid(20, 20, 128, 128, 128), {cv::IMWRITE_JPEG_QUALITY, 95});
    write_bytes(root + "/empty.jpg", QByteArray());
    const QByteArray jpeg = encode(".jpg", noise(64, 64));
    write_bytes(root + "/a/truncated.jpg", jpeg.left(jpeg.size() / 2));
    QByteArray garbage(3000, Qt::Uninitialized);
    for (int i = 0; i < garbage.size(); ++i) garbage[i] = char((i * 7919 + 13) % 251);
    write_bytes(root + "/a/b/garbage.png", garbage);
    write_bytes(root + "/notes.txt", "not an image\n");
    write_image(root + "/.hidden.jpg", solid(8, 8, 0, 0, 0));     // ignored silently
    write_image(root + "/.cache/x.png", solid(8, 8, 0, 0, 0));    // ignored silently
    std::filesystem::create_directory_symlink("..", (root + "/a/loop").toStdString());  // a -> root loop
}

QByteArray be32(std::uint32_t v) {
    QByteArray out;
    for (int shift = 24; shift >= 0; shift -= 8) out.append(char((v >> shift) & 0xff));
    return out;
}

// One PNG chunk: length, type, data, CRC-32 of type and data.
QByteArray png_chunk(const char* type, const QByteArray& data) {
    const QByteArray body = QByteArray(type, 4) + data;
    const auto crc = std::uint32_t(crc32(0, reinterpret_cast<const Bytef*>(body.constData()), uInt(body.size())));
    return be32(std::uint32_t(data.size())) + body + be32(crc);
}

// A valid-looking 8-bit gray PNG that declares width x height but carries
// only its first few rows of zeros (a few hundred bytes on disk).
QByteArray png_declaring(std::uint32_t width, std::uint32_t height) {
    QByteArray ihdr = be32(width) + be32(height);
    ihdr.append(char(8)).append(char(0)).append(char(0)).append(char(0)).append(char(0));  // 8-bit gray
    const QByteArray rows(int(std::min<std::uint32_t>(width + 1, 1u << 16) * 4), '\0');  // filter byte + pixels
    QByteArray packed(int(compressBound(uLong(rows.size()))), Qt::Uninitialized);
    uLongf packed_size = uLongf(packed.size());
    compress2(reinterpret_cast<Bytef*>(packed.data()), &packed_size, reinterpret_cast<const Bytef*>(rows.constData()),
              uLong(rows.size()), 9);
    packed.resize(int(packed_size));
    return QByteArray("\x89PNG\r\n\x1a\n", 8) + png_chunk("IHDR", ihdr) + png_chunk("IDAT", packed) +
           png_chunk("IEND", QByteArray());
}

// A real JPEG whose frame header is rewritten to declare width x height.
QByteArray jpeg_declaring(int width, int height) {
    QByteArray j = encode(".jpg", noise(16, 16));
    for (int i = 2; i + 8 < j.size(); ++i)
        if (uchar(j[i]) == 0xFF && (uchar(j[i + 1]) == 0xC0 || uchar(j[i + 1]) == 0xC2)) {
            j[i + 5] = char(height >> 8);
            j[i + 6] = char(height & 0xff);
            j[i + 7] = char(width >> 8);
            j[i + 8] = char(width & 0xff);
            return j;
        }
    return {};
}

QByteArray le32(std::uint32_t v) {
    QByteArray out;
    for (int shift = 0; shift < 32; shift += 8) out.append(char((v >> shift) & 0xff));
    return out;
}

// An 8-bit run-length BMP header with the given (signed) size and no pixels
// (compressed, so its length says nothing about the size).
QByteArray bmp_declaring(std::int32_t width, std::int32_t height) {
    QByteArray b("BM");
    b += le32(54 + 16) + le32(0) + le32(54);                           // file size, reserved, pixel offset
    b += le32(40) + le32(std::uint32_t(width)) + le32(std::uint32_t(height));
    b += QByteArray("\x01\x00\x08\x00", 4) + le32(1) + le32(0);        // planes, 8 bpp, BI_RLE8, image size
    b += le32(2835) + le32(2835) + le32(0) + le32(0);
    return b + QByteArray(16, '\0');
}

const std::vector<std::string> kExpectedNames = {
    "UPPER.JPG", "a/b/blue.bmp", "a/b/c/red.jpg", "a/b/c/rgba.png", "a/gray.png",
    "green.webp", "photo.tiff", "white16.png"};

} // namespace

class TestImageFolder : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void a_cancel_token_stops_the_decode() {
        QTemporaryDir tmp;
        build_fixture(tmp.path());
        std::atomic<bool> cancel{true};
        DecodeOptions opt;
        opt.size = 16;
        opt.cancel = &cancel;
        const QString message = error_of([&] { decode_image_folder(tmp.path().toStdString(), opt); });
        QVERIFY2(message == tmp.path() + ": cancelled", qPrintable(message));
    }

    // A decode into a cache file that is stopped part-way resumes where its
    // journal says, and ends with what a decode in one go gives.
    void a_stopped_decode_into_a_file_resumes() {
        QTemporaryDir tmp;
        const QString folder = tmp.filePath("many");
        QDir().mkpath(folder);
        for (int i = 0; i < 2600; ++i) {
            const cv::Mat img(8, 8, CV_8UC3, cv::Scalar(i % 256, (i * 7) % 256, (i / 256) * 20));
            QVERIFY(cv::imwrite(QString("%1/img%2.png").arg(folder).arg(i, 4, 10, QChar('0')).toStdString(), img));
        }
        for (int bad : {5, 1500, 2599}) {
            QFile f(QString("%1/img%2.png").arg(folder).arg(bad, 4, 10, QChar('0')));
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write("not a png");
        }
        DecodeOptions o;
        o.size = 8;
        o.workers = 2;
        const DecodedImages whole = decode_image_folder(folder.toStdString(), o);

        const std::string file = tmp.filePath("pixels.decoding").toStdString();
        std::atomic<bool> cancel{false};
        o.pixel_file = file;
        o.cancel = &cancel;
        // One worker stops exactly at the first report (1000 images). With more,
        // the others decode on while the journal is flushed, as far as the
        // machine's disk lets them, so where they stop depends on the machine.
        o.workers = 1;
        o.progress = [&](std::size_t done, std::size_t) {
            if (done >= 1000) cancel = true;
        };
        QVERIFY(error_of([&] { decode_image_folder(folder.toStdString(), o); }).endsWith("cancelled"));
        const auto journal = read_decode_journal(file);
        QVERIFY(journal.has_value());
        QCOMPARE(journal->done_below, std::uint64_t(1000));
        QCOMPARE(journal->failed.size(), std::size_t(1));  // img0005, the only bad file below 1000
        QCOMPARE(journal->failed.front().first, std::uint64_t(5));

        std::size_t resumed_at = 0;
        o.workers = 2;
        o.cancel = nullptr;
        o.progress = [&](std::size_t done, std::size_t) {
            if (resumed_at == 0) resumed_at = done;
        };
        const DecodedImages resumed = decode_image_folder(folder.toStdString(), o);
        QCOMPARE(resumed_at, std::size_t(journal->done_below));
        QVERIFY(resumed.pixels.mapped());
        QVERIFY(resumed.pixels == whole.pixels);
        QVERIFY(resumed.names == whole.names);
        QCOMPARE(resumed.skipped.size(), std::size_t(3));
        QCOMPARE(resumed.skipped.front().reason, whole.skipped.front().reason);
        QVERIFY(!read_decode_journal(file).has_value());  // done: the journal is gone
    }

    void decodes_fixture_tree() {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        build_fixture(tmp.path());
        DecodeOptions opt;
        opt.size = 16;
        opt.channels = 0;
        opt.workers = 2;
        const DecodedImages d = decode_image_folder(tmp.path().toStdString(), opt);
        QCOMPARE(d.size, 16);
        QCOMPARE(d.channels, 3);
        QCOMPARE(d.image_bytes(), std::size_t(16 * 16 * 3));
        QCOMPARE(d.count(), kExpectedNames.size());
        QCOMPARE(d.pixels.size(), kExpectedNames.size() * 16 * 16 * 3);
        QVERIFY(d.names == kExpectedNames);
        QVERIFY(d.attributes.empty());

        std::map<std::string, std::string> skipped;
        for (const SkippedFile& s : d.skipped) skipped[s.path] = s.reason;
        QCOMPARE(d.skipped.size(), std::size_t(4));
        QCOMPARE(QString::fromStdString(skipped["empty.jpg"]), QStringLiteral("empty file (0 bytes)"));
        QCOMPARE(QString::fromStdString(skipped["a/b/garbage.png"]), QStringLiteral("not a decodable image"));
        QCOMPARE(QString::fromStdString(skipped["notes.txt"]), QStringLiteral("not an image file (.txt)"));
        QVERIFY2(QString::fromStdString(skipped["a/truncated.jpg"]).startsWith("truncated JPEG"),
                 skipped["a/truncated.jpg"].c_str());
        // Skipped entries come in sorted path order too.
        QCOMPARE(QString::fromStdString(d.skipped.front().path), QStringLiteral("a/b/garbage.png"));

        QString why;
        QVERIFY2(all_near(d, 0, {128, 128, 128}, 3, &why), qPrintable(why));  // UPPER.JPG
        QVERIFY2(all_near(d, 1, {0, 0, 255}, 0, &why), qPrintable(why));      // blue.bmp, BGR -> RGB
        QVERIFY2(all_near(d, 2, {255, 0, 0}, 4, &why), qPrintable(why));      // red.jpg
        QVERIFY2(all_near(d, 3, {255, 127, 127}, 1, &why), qPrintable(why));  // red at alpha 128 over white
        QVERIFY2(all_near(d, 4, {100, 100, 100}, 0, &why), qPrintable(why));  // gray -> RGB
        QVERIFY2(all_near(d, 5, {0, 255, 0}, 0, &why), qPrintable(why));      // lossless webp
        QVERIFY2(all_near(d, 6, {10, 20, 30}, 0, &why), qPrintable(why));     // tiff
        QVERIFY2(all_near(d, 7, {255, 255, 255}, 0, &why), qPrintable(why));  // 16-bit white
    }

    void listing_names_the_files_a_decode_tries() {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        build_fixture(tmp.path());
        // Every decoded image and every undecodable image file, in sorted order; not notes.txt.
        DecodeOptions opt;
        opt.size = 16;
        const DecodedImages d = decode_image_folder(tmp.path().toStdString(), opt);
        std::vector<std::string> tried = d.names;
        for (const SkippedFile& s : d.skipped)
            if (s.path != "notes.txt") tried.push_back(s.path);
        std::vector<std::string> sorted_tried = tried;
        std::sort(sorted_tried.begin(), sorted_tried.end());
        std::vector<std::string> listed = list_image_files(tmp.path().toStdString());
        std::vector<std::string> sorted_listed = listed;
        std::sort(sorted_listed.begin(), sorted_listed.end());
        QVERIFY(sorted_listed == sorted_tried);
        QVERIFY(std::find(listed.begin(), listed.end(), "notes.txt") == listed.end());
        QVERIFY(error_of([&] { list_image_files(tmp.filePath("missing").toStdString()); }).contains("folder not found"));
    }

    void gray_output() {
        QTemporaryDir tmp;
        build_fixture(tmp.path());
        DecodeOptions opt;
        opt.size = 8;
        opt.channels = 1;
        const DecodedImages d = decode_image_folder(tmp.path().toStdString(), opt);
        QCOMPARE(d.channels, 1);
        QCOMPARE(d.count(), kExpectedNames.size());
        QString why;
        QVERIFY2(all_near(d, 1, {29, 29, 29}, 0, &why), qPrintable(why));     // blue: 0.114 * 255
        QVERIFY2(all_near(d, 2, {76, 76, 76}, 3, &why), qPrintable(why));     // red: 0.299 * 255
        QVERIFY2(all_near(d, 4, {100, 100, 100}, 0, &why), qPrintable(why));
        QVERIFY2(all_near(d, 7, {255, 255, 255}, 0, &why), qPrintable(why));
    }

    void workers_do_not_change_order_data() {
        QTest::addColumn<int>("workers");
        QTest::newRow("3 workers") << 3;
        QTest::newRow("8 workers") << 8;
    }
    void workers_do_not_change_order() {
        QFETCH(int, workers);
        // 60 gray images, file i has value 4*i; every 7th file is garbage, so
        // the buffer must be compacted correctly around the holes.
        QTemporaryDir tmp;
        std::vector<std::string> want_names;
        std::vector<int> want_values;
        for (int i = 0; i < 60; ++i) {
            const QString name = QString("d%1/img%2.png").arg(i % 3).arg(i, 3, 10, QChar('0'));
            if (i % 7 == 3) {
                write_bytes(tmp.filePath(name), QByteArray(100, 'x'));
                continue;
            }
            write_image(tmp.filePath(name), cv::Mat(10 + i % 5, 12, CV_8UC1, cv::Scalar(4 * i)));
            want_names.push_back(name.toStdString());
            want_values.push_back(4 * i);
        }
        std::vector<std::size_t> order(want_names.size());
        std::iota(order.begin(), order.end(), 0);
        std::sort(order.begin(), order.end(), [&](auto a, auto b) { return want_names[a] < want_names[b]; });

        DecodeOptions opt;
        opt.size = 6;
        opt.channels = 1;
        opt.workers = 1;
        const DecodedImages one = decode_image_folder(tmp.path().toStdString(), opt);
        opt.workers = workers;
        const DecodedImages many = decode_image_folder(tmp.path().toStdString(), opt);
        QCOMPARE(one.count(), want_names.size());
        QVERIFY(one.names == many.names);
        QVERIFY(one.pixels == many.pixels);
        QCOMPARE(many.skipped.size(), std::size_t(60 - want_names.size()));
        for (std::size_t k = 0; k < order.size(); ++k) {
            QCOMPARE(many.names[k], want_names[order[k]]);
            const int v = want_values[order[k]];
            QString why;
            QVERIFY2(all_near(many, k, {v, v, v}, 0, &why), qPrintable(why));
        }
    }

    void centre_crop_and_growth() {
        QTemporaryDir tmp;
        // 48 x 16: blue | red | green thirds. Scaling to 16 keeps 1:1 and the
        // centre crop is exactly the red third.
        cv::Mat stripes(16, 48, CV_8UC3);
        stripes.colRange(0, 16).setTo(cv::Scalar(255, 0, 0));
        stripes.colRange(16, 32).setTo(cv::Scalar(0, 0, 255));
        stripes.colRange(32, 48).setTo(cv::Scalar(0, 255, 0));
        QVERIFY(write_image(tmp.filePath("a_stripes.png"), stripes));
        // 96 x 32 same layout, shrunk by 2 with area averaging: still pure red.
        cv::Mat wide;
        cv::resize(stripes, wide, cv::Size(96, 32), 0, 0, cv::INTER_NEAREST);
        QVERIFY(write_image(tmp.filePath("b_wide.png"), wide));
        // Tiny 4 x 4 image grown to 16.
        QVERIFY(write_image(tmp.filePath("c_tiny.png"), solid(4, 4, 9, 99, 199)));
        DecodeOptions opt;
        opt.size = 16;
        const DecodedImages d = decode_image_folder(tmp.path().toStdString(), opt);
        QCOMPARE(d.count(), std::size_t(3));
        QString why;
        QVERIFY2(all_near(d, 0, {255, 0, 0}, 0, &why), qPrintable(why));
        QVERIFY2(all_near(d, 1, {255, 0, 0}, 0, &why), qPrintable(why));
        QVERIFY2(all_near(d, 2, {199, 99, 9}, 0, &why), qPrintable(why));
    }

    void truncated_files_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("cut");  // bytes cut off the end; 0 = keep the first half
        QTest::addColumn<QString>("reason");
        QTest::newRow("jpeg") << "cut.jpg" << 0 << "truncated JPEG (no end-of-image marker)";
        QTest::newRow("jpeg last byte") << "cut.jpg" << 1 << "truncated JPEG (no end-of-image marker)";
        QTest::newRow("png") << "cut.png" << 0 << "truncated PNG (no IEND chunk)";
        QTest::newRow("png crc") << "cut.png" << 1 << "truncated PNG (no IEND chunk)";
        QTest::newRow("bmp") << "cut.bmp" << 0 << "truncated BMP (pixel data ends early)";
        QTest::newRow("bmp header") << "cut.bmp" << -20 << "truncated BMP (incomplete header)";
        QTest::newRow("webp") << "cut.webp" << 0 << "truncated WebP (shorter than its RIFF header says)";
        QTest::newRow("tiff") << "cut.tiff" << 0 << "truncated TIFF (its image directory lies past the end)";
    }
    void truncated_files() {
        QFETCH(QString, name);
        QFETCH(int, cut);
        QFETCH(QString, reason);
        QTemporaryDir tmp;
        const QByteArray full = encode(qPrintable("." + QFileInfo(name).suffix()), noise(64, 48));
        QVERIFY(full.size() > 1000);
        // cut < 0 keeps only the first -cut bytes.
        const QByteArray part = cut == 0 ? full.left(full.size() / 2) : cut > 0 ? full.left(full.size() - cut) : full.left(-cut);
        QVERIFY(write_bytes(tmp.filePath(name), part));
        QVERIFY(write_bytes(tmp.filePath("whole_" + name), full));
        const DecodedImages d = decode_image_folder(tmp.path().toStdString(), DecodeOptions{});
        QCOMPARE(d.count(), std::size_t(1));
        QCOMPARE(QString::fromStdString(d.names[0]), "whole_" + name);
        QCOMPARE(d.skipped.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(d.skipped[0].path), name);
        QCOMPARE(QString::fromStdString(d.skipped[0].reason), reason);
    }

    void one_file_decodes_as_in_a_folder() {
        QTemporaryDir tmp;
        QVERIFY(write_bytes(tmp.filePath("red.png"), encode(".png", solid(40, 20, 0, 0, 255))));
        QVERIFY(write_bytes(tmp.filePath("empty.png"), QByteArray()));
        std::vector<unsigned char> bytes, pixels(8 * 8 * 3);
        QCOMPARE(decode_image_file(tmp.filePath("red.png").toStdString(), bytes, pixels.data(), 8, 3), std::string());
        QCOMPARE(int(pixels[0]), 255);  // RGB order: red first
        QCOMPARE(int(pixels[2]), 0);
        QCOMPARE(decode_image_file(tmp.filePath("empty.png").toStdString(), bytes, pixels.data(), 8, 3),
                 std::string("empty file (0 bytes)"));
        const std::string missing = decode_image_file(tmp.filePath("gone.png").toStdString(), bytes, pixels.data(), 8, 3);
        QVERIFY2(QString::fromStdString(missing).startsWith("cannot read ("), missing.c_str());
    }

    void jpeg_padding_is_accepted() {
        QTemporaryDir tmp;
        QVERIFY(write_bytes(tmp.filePath("padded.jpg"), encode(".jpg", solid(16, 16, 0, 0, 0)) + QByteArray("\0\0\0\n", 4)));
        const DecodedImages d = decode_image_folder(tmp.path().toStdString(), DecodeOptions{});
        QCOMPARE(d.count(), std::size_t(1));
        QVERIFY(d.skipped.empty());
    }

    // --- hostile and unusual files ------------------------------------------

    void header_sizes_data() {
        QTest::addColumn<QString>("ext");
        QTest::addColumn<QString>("format");
        QTest::newRow("png") << ".png" << "PNG";
        QTest::newRow("jpeg") << ".jpg" << "JPEG";
        QTest::newRow("bmp") << ".bmp" << "BMP";
        QTest::newRow("webp") << ".webp" << "WebP";
        QTest::newRow("tiff") << ".tiff" << "TIFF";
    }
    void header_sizes() {
        QFETCH(QString, ext);
        QFETCH(QString, format);
        const QByteArray bytes = encode(qPrintable(ext), noise(37, 23));
        const ImageHeader h = read_image_header(reinterpret_cast<const unsigned char*>(bytes.constData()),
                                                std::size_t(bytes.size()));
        QCOMPARE(QString::fromStdString(h.format), format);
        QCOMPARE(h.width, std::uint64_t(37));
        QCOMPARE(h.height, std::uint64_t(23));
        QCOMPARE(QString::fromStdString(h.problem), QString());
        // Every prefix is refused without reading past its end.
        for (int n = 0; n < bytes.size(); n += std::max(1, int(bytes.size() / 97))) {
            const QByteArray part = bytes.left(n);
            QVERIFY(!read_image_header(reinterpret_cast<const unsigned char*>(part.constData()), std::size_t(n)).problem.empty());
        }
    }

    void over_the_pixel_cap_is_skipped_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("reason");
        QTest::newRow("png 60000 x 60000") << "bomb.png" << png_declaring(60000, 60000)
                                           << "too large to decode: 60000 x 60000 pixels, over the 50-megapixel limit";
        // Below OpenCV's own limit (2^30 pixels), so only LatentLab's cap stops it.
        QTest::newRow("png 8000 x 8000") << "big.png" << png_declaring(8000, 8000)
                                         << "too large to decode: 8000 x 8000 pixels, over the 50-megapixel limit";
        QTest::newRow("jpeg 10000 x 6000") << "big.jpg" << jpeg_declaring(10000, 6000)
                                           << "too large to decode: 10000 x 6000 pixels, over the 50-megapixel limit";
        QTest::newRow("bmp height INT32_MIN") << "min.bmp" << bmp_declaring(1, INT32_MIN)
                                              << "too large to decode: 1 x 2147483648 pixels, over the 50-megapixel limit";
    }
    void over_the_pixel_cap_is_skipped() {
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, reason);
        QVERIFY(bytes.size() > 0 && bytes.size() < 20000);
        QTemporaryDir tmp;
        QVERIFY(write_bytes(tmp.filePath(name), bytes));
        QVERIFY(write_image(tmp.filePath("ok.png"), solid(8, 8, 1, 2, 3)));
        DecodeOptions opt;
        opt.workers = 1;
        DecodedImages d;
        const std::uint64_t grew = test::peak_rss_growth([&] { d = decode_image_folder(tmp.path().toStdString(), opt); });
        QCOMPARE(d.count(), std::size_t(1));
        QCOMPARE(d.skipped.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(d.skipped[0].path), name);
        QCOMPARE(QString::fromStdString(d.skipped[0].reason), reason);
        QVERIFY2(grew < (32u << 20), qPrintable(QString("peak memory grew by %1 bytes").arg(grew)));
    }

    void thin_images_are_cropped_before_scaling_data() {
        QTest::addColumn<int>("w");
        QTest::addColumn<int>("h");
        QTest::newRow("1 x 200000") << 1 << 200000;
        QTest::newRow("200000 x 1") << 200000 << 1;
    }
    void thin_images_are_cropped_before_scaling() {
        // The two middle pixels of a dark line are 200 and 100. Cut to its
        // centre square first (offset (200000 - 1) / 2), the line is the
        // 200 pixel, grown to 32 x 32; scaled first, it would be a
        // 32 x 6,400,000 RGB buffer (614 MB) whose middle rows blend the two.
        QFETCH(int, w);
        QFETCH(int, h);
        QTemporaryDir tmp;
        cv::Mat line(h, w, CV_8UC1, cv::Scalar(10));
        line.at<uchar>((h - 1) / 2, (w - 1) / 2) = 200;
        line.at<uchar>(h / 2, w / 2) = 100;
        QVERIFY(write_image(tmp.filePath("line.png"), line));
        DecodeOptions opt;
        opt.size = 32;
        opt.workers = 1;
        DecodedImages d;
        const std::uint64_t grew = test::peak_rss_growth([&] { d = decode_image_folder(tmp.path().toStdString(), opt); });
        QCOMPARE(d.count(), std::size_t(1));
        QString why;
        QVERIFY2(all_near(d, 0, {200, 200, 200}, 0, &why), qPrintable(why));
        QVERIFY2(grew < (32u << 20), qPrintable(QString("peak memory grew by %1 bytes").arg(grew)));
    }

    void jpeg_with_trailing_data_is_accepted() {
        // A motion photo: the JPEG, then a video after its end marker.
        QTemporaryDir tmp;
        const QByteArray jpeg = encode(".jpg", noise(40, 30));
        QByteArray video = QByteArray("\0\0\0\x18" "ftypmp42\0\0\0\0mp42isom", 24);
        for (int i = 0; i < 5000; ++i) video.append(char((i * 131 + 7) % 256));  // holds FF bytes, ends in neither FF D9 nor zeros
        QVERIFY(!video.endsWith("\xff\xd9"));
        QVERIFY(write_bytes(tmp.filePath("a_plain.jpg"), jpeg));
        QVERIFY(write_bytes(tmp.filePath("b_motion.jpg"), jpeg + video));
        const DecodedImages d = decode_image_folder(tmp.path().toStdString(), DecodeOptions{});
        QVERIFY2(d.skipped.empty(), d.skipped.empty() ? "" : d.skipped[0].reason.c_str());
        QCOMPARE(d.count(), std::size_t(2));
        QVERIFY(std::equal(d.image(0), d.image(0) + d.image_bytes(), d.image(1)));
    }

    void jpeg_variants_are_whole_data() {
        QTest::addColumn<int>("flag");
        QTest::addColumn<int>("value");
        QTest::newRow("progressive") << int(cv::IMWRITE_JPEG_PROGRESSIVE) << 1;
        QTest::newRow("restart markers") << int(cv::IMWRITE_JPEG_RST_INTERVAL) << 1;
        QTest::newRow("optimised tables") << int(cv::IMWRITE_JPEG_OPTIMIZE) << 1;
    }
    void jpeg_variants_are_whole() {
        QFETCH(int, flag);
        QFETCH(int, value);
        std::vector<uchar> buf;
        QVERIFY(cv::imencode(".jpg", noise(64, 48), buf, {flag, value}));
        const ImageHeader h = read_image_header(buf.data(), buf.size());
        QCOMPARE(QString::fromStdString(h.problem), QString());
        QCOMPARE(h.width, std::uint64_t(64));
        QCOMPARE(h.height, std::uint64_t(48));
        const ImageHeader cut = read_image_header(buf.data(), buf.size() * 3 / 4);
        QCOMPARE(QString::fromStdString(cut.problem), QStringLiteral("truncated JPEG (no end-of-image marker)"));
    }

    void truncated_jpeg_with_thumbnail_is_skipped() {
        // An EXIF-style APP1 segment holding a whole thumbnail (with its own
        // FF D9) precedes the main image, which is cut off: an end marker
        // somewhere in the file is not enough.
        const QByteArray thumb = encode(".jpg", noise(16, 16));
        const QByteArray main = encode(".jpg", noise(96, 96));
        QByteArray app1 = QByteArray("Exif\0\0", 6) + thumb;
        const int len = app1.size() + 2;
        const QByteArray segment = QByteArray("\xff\xe1", 2) + char(len >> 8) + char(len & 0xff) + app1;
        const QByteArray whole = main.left(2) + segment + main.mid(2);
        QTemporaryDir tmp;
        QVERIFY(write_bytes(tmp.filePath("whole.jpg"), whole));
        QVERIFY(write_bytes(tmp.filePath("cut.jpg"), whole.left(segment.size() + main.size() / 2)));
        QVERIFY(whole.left(segment.size() + main.size() / 2).contains("\xff\xd9"));
        const DecodedImages d = decode_image_folder(tmp.path().toStdString(), DecodeOptions{});
        QCOMPARE(d.count(), std::size_t(1));
        QCOMPARE(QString::fromStdString(d.names[0]), QStringLiteral("whole.jpg"));
        QCOMPARE(d.skipped.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(d.skipped[0].path), QStringLiteral("cut.jpg"));
        QCOMPARE(QString::fromStdString(d.skipped[0].reason), QStringLiteral("truncated JPEG (no end-of-image marker)"));
    }

    void unreadable_file() {
        QTemporaryDir tmp;
        QVERIFY(write_image(tmp.filePath("ok.png"), solid(8, 8, 1, 2, 3)));
        QVERIFY(write_image(tmp.filePath("secret.png"), solid(8, 8, 1, 2, 3)));
        QFile::setPermissions(tmp.filePath("secret.png"), QFileDevice::Permissions());
        QFile probe(tmp.filePath("secret.png"));
        if (probe.open(QIODevice::ReadOnly)) QSKIP("running with rights that read any file (root?)");
        const DecodedImages d = decode_image_folder(tmp.path().toStdString(), DecodeOptions{});
        QCOMPARE(d.count(), std::size_t(1));
        QCOMPARE(d.skipped.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(d.skipped[0].reason), QStringLiteral("cannot read (Permission denied)"));
    }

    void errors_name_the_folder() {
        QTemporaryDir tmp;
        const std::string missing = tmp.filePath("nope").toStdString();
        QCOMPARE(error_of([&] { decode_image_folder(missing, DecodeOptions{}); }),
                 QString::fromStdString(missing + ": folder not found"));

        QVERIFY(write_bytes(tmp.filePath("file.png"), "x"));
        const std::string file = tmp.filePath("file.png").toStdString();
        QCOMPARE(error_of([&] { decode_image_folder(file, DecodeOptions{}); }),
                 QString::fromStdString(file + ": not a folder"));

        const QString bad = tmp.filePath("bad");
        QVERIFY(write_bytes(bad + "/empty.jpg", QByteArray()));
        QVERIFY(write_bytes(bad + "/readme.md", "hello"));
        QCOMPARE(error_of([&] { decode_image_folder(bad.toStdString(), DecodeOptions{}); }),
                 bad + ": no usable image among 2 files (e.g. empty.jpg: empty file (0 bytes))");

        QVERIFY(QDir().mkpath(tmp.filePath("void")));
        QCOMPARE(error_of([&] { decode_image_folder(tmp.filePath("void").toStdString(), DecodeOptions{}); }),
                 tmp.filePath("void") + ": no usable image among 0 files");

        DecodeOptions opt;
        opt.channels = 4;
        QVERIFY(error_of([&] { decode_image_folder(tmp.path().toStdString(), opt); }).contains("channel"));
    }
};

QTEST_APPLESS_MAIN(TestImageFolder)
#include "test_image_folder.moc"
