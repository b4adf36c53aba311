// SPDX-License-Identifier: GPL-3.0-or-later
// CelebA folders and list_attr_celeba.txt.
#include "error_of.h"
#include "common/error.h"
#include "data/celeba.h"
#include "data/celeba_attributes.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

using namespace latentlab;

namespace {

bool write_text(const QString& path, const QByteArray& text) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
}

// Image number n is a solid colour that identifies it: BGR (0, 0, 40 * n).
void write_face(const QString& dir, int n) {
    const QString path = dir + QString("/img_align_celeba/%1.jpg").arg(n, 6, 10, QChar('0'));
    QDir().mkpath(QFileInfo(path).absolutePath());
    cv::imwrite(path.toStdString(), cv::Mat(218, 178, CV_8UC3, cv::Scalar(0, 0, 40 * n)), {cv::IMWRITE_JPEG_QUALITY, 98});
}

const char* const kAttrText =
    "5\r\n"
    "5_o_Clock_Shadow Bald Smiling Young \r\n"
    "000001.jpg -1  1  1 -1\r\n"
    "000002.jpg  1 -1 -1  1\r\n"
    "000004.jpg  1  1 -1 -1\r\n"
    "000005.jpg\t-1\t-1\t1\t1\r\n"
    "000006.jpg -1 -1 -1 -1\r\n"
    "\r\n";

} // namespace

class TestCeleba : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void detects_layout() {
        QTemporaryDir tmp;
        QVERIFY(!is_celeba_folder(tmp.path().toStdString()));
        QVERIFY(QDir(tmp.path()).mkdir("img_align_celeba"));
        QVERIFY(!is_celeba_folder(tmp.path().toStdString()));
        QVERIFY(write_text(tmp.filePath("list_attr_celeba.txt"), kAttrText));
        QVERIFY(is_celeba_folder(tmp.path().toStdString()));
        QVERIFY(!is_celeba_folder(tmp.filePath("missing").toStdString()));
    }

    void decodes_with_attributes() {
        QTemporaryDir tmp;
        for (int n : {1, 2, 3, 4, 5}) write_face(tmp.path(), n);
        QVERIFY(write_text(tmp.filePath("img_align_celeba/000007.jpg"), QByteArray()));  // empty: skipped
        QVERIFY(write_text(tmp.filePath("list_attr_celeba.txt"), kAttrText));
        QVERIFY(is_celeba_folder(tmp.path().toStdString()));

        DecodeOptions opt;
        opt.size = 32;
        opt.workers = 3;
        const DecodedImages d = decode_celeba(tmp.path().toStdString(), opt);
        // 000003 has no attribute row and is left out; 000006 has a row but no image.
        const std::vector<std::string> names = {"000001.jpg", "000002.jpg", "000004.jpg", "000005.jpg"};
        QVERIFY(d.names == names);
        QCOMPARE(d.count(), std::size_t(4));
        QCOMPARE(d.channels, 3);
        QCOMPARE(d.size, 32);
        QCOMPARE(d.attributes.names.size(), std::size_t(4));
        QCOMPARE(d.attributes.column("Smiling"), 2);
        QCOMPARE(d.attributes.values.size(), std::size_t(4));
        QVERIFY((d.attributes.values[0] == std::vector<std::int8_t>{-1, 1, 1, -1}));
        QVERIFY((d.attributes.values[1] == std::vector<std::int8_t>{1, -1, -1, 1}));
        QVERIFY((d.attributes.values[2] == std::vector<std::int8_t>{1, 1, -1, -1}));
        QVERIFY((d.attributes.values[3] == std::vector<std::int8_t>{-1, -1, 1, 1}));

        // Pixels still belong to their names after 000003 was taken out.
        const int number[] = {1, 2, 4, 5};
        for (std::size_t i = 0; i < 4; ++i) {
            const std::uint8_t* centre = d.image(i) + (16 * 32 + 16) * 3;
            QVERIFY2(std::abs(int(centre[0]) - 40 * number[i]) <= 3,
                     qPrintable(QString("%1: red %2").arg(QString::fromStdString(d.names[i])).arg(centre[0])));
            QVERIFY(centre[1] <= 3 && centre[2] <= 3);
        }

        QCOMPARE(d.skipped.size(), std::size_t(2));
        QCOMPARE(QString::fromStdString(d.skipped[0].path), QStringLiteral("img_align_celeba/000007.jpg"));
        QCOMPARE(QString::fromStdString(d.skipped[0].reason), QStringLiteral("empty file (0 bytes)"));
        QCOMPARE(QString::fromStdString(d.skipped[1].path), QStringLiteral("img_align_celeba/000003.jpg"));
        QCOMPARE(QString::fromStdString(d.skipped[1].reason), QStringLiteral("no row in list_attr_celeba.txt"));
    }

    void not_celeba_is_an_error() {
        QTemporaryDir tmp;
        const QString msg = error_of([&] { decode_celeba(tmp.path().toStdString(), DecodeOptions{}); });
        QVERIFY2(msg.startsWith(tmp.path() + ": not a CelebA folder"), qPrintable(msg));
    }

    void malformed_attributes_stop_decoding() {
        QTemporaryDir tmp;
        write_face(tmp.path(), 1);
        QVERIFY(write_text(tmp.filePath("list_attr_celeba.txt"), "1\nSmiling Young\n000001.jpg 1 0\n"));
        const QString msg = error_of([&] { decode_celeba(tmp.path().toStdString(), DecodeOptions{}); });
        QVERIFY2(msg.startsWith(tmp.filePath("list_attr_celeba.txt") + ":3: "), qPrintable(msg));
    }

    void reads_celeba_format() {
        QTemporaryDir tmp;
        const QString path = tmp.filePath("list_attr_celeba.txt");
        QVERIFY(write_text(path, kAttrText));
        const CelebaAttributeFile f = read_celeba_attributes(path.toStdString());
        QVERIFY((f.names == std::vector<std::string>{"5_o_Clock_Shadow", "Bald", "Smiling", "Young"}));
        QVERIFY((f.files == std::vector<std::string>{"000001.jpg", "000002.jpg", "000004.jpg", "000005.jpg", "000006.jpg"}));
        QCOMPARE(f.rows.size(), std::size_t(5));
        QVERIFY((f.rows[3] == std::vector<std::int8_t>{-1, -1, 1, 1}));
    }

    void round_trip() {
        QTemporaryDir tmp;
        const std::string path = tmp.filePath("attrs.txt").toStdString();
        AttributeTable table;
        table.names = {"Smiling", "Eyeglasses", "Male"};
        std::vector<std::string> images;
        for (int i = 0; i < 50; ++i) {
            images.push_back("face_" + std::to_string(i) + ".png");
            table.values.push_back({std::int8_t(i % 2 ? 1 : -1), std::int8_t(i % 3 ? 1 : -1), std::int8_t(i % 5 ? -1 : 1)});
        }
        write_celeba_attributes(path, images, table);
        const CelebaAttributeFile back = read_celeba_attributes(path);
        QVERIFY(back.names == table.names);
        QVERIFY(back.files == images);
        QVERIFY(back.rows == table.values);

        QFile f(QString::fromStdString(path));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readLine(), QByteArray("50\n"));
        QCOMPARE(f.readLine(), QByteArray("Smiling Eyeglasses Male\n"));
        QCOMPARE(f.readLine(), QByteArray("face_0.png -1 -1  1\n"));
    }

    void writer_rejects_bad_tables() {
        QTemporaryDir tmp;
        const std::string path = tmp.filePath("attrs.txt").toStdString();
        AttributeTable table;
        table.names = {"Smiling"};
        table.values = {{1}, {-1}};
        QVERIFY(error_of([&] { write_celeba_attributes(path, {"a.jpg"}, table); }).contains("2 attribute rows"));
        QVERIFY(error_of([&] { write_celeba_attributes(path, {"a.jpg", "b c.jpg"}, table); }).contains("invalid image name"));
        table.values[1] = {0};
        QVERIFY(error_of([&] { write_celeba_attributes(path, {"a.jpg", "b.jpg"}, table); }).contains("not 1 or -1"));
        table.values[1] = {1};
        QVERIFY(error_of([&] { write_celeba_attributes(path, {"a.jpg", "b.jpg"}, table); }).isEmpty());
        QVERIFY(error_of([&] { write_celeba_attributes(tmp.filePath("no/such/dir/x.txt").toStdString(), {"a.jpg", "b.jpg"}, table); })
                    .contains("cannot write"));
    }

    void malformed_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("reason");
        QTest::newRow("empty") << QByteArray() << 1 << "empty file";
        QTest::newRow("count not a number") << QByteArray("two\nA B\n") << 1 << "expected the image count";
        QTest::newRow("no names") << QByteArray("1\n\n") << 2 << "no attribute names";
        QTest::newRow("no names line") << QByteArray("1\n") << 2 << "file ends before the attribute names";
        QTest::newRow("too few values") << QByteArray("2\nA B\nx.jpg 1 1\ny.jpg 1\n") << 4 << "expected an image name and 2 values, found 2 fields";
        QTest::newRow("bad value") << QByteArray("1\nA B\nx.jpg 1 yes\n") << 3 << "value \"yes\" for B is not 1 or -1";
        QTest::newRow("duplicate") << QByteArray("2\nA\nx.jpg 1\nx.jpg -1\n") << 4 << "image x.jpg is listed twice";
        QTest::newRow("too many lines") << QByteArray("1\nA\nx.jpg 1\ny.jpg 1\n") << 4 << "more image lines than the 1 announced";
        QTest::newRow("too few lines") << QByteArray("3\nA\nx.jpg 1\ny.jpg 1\n") << 5 << "file ends after 2 of the 3 image lines";
        // The count is weighed against the file before anything is reserved:
        // 40 values need at least 82 bytes a line.
        QByteArray names;
        for (int i = 0; i < 40; ++i) names += "Attr" + QByteArray::number(i) + " ";
        QByteArray row = "000001.jpg";
        for (int i = 0; i < 40; ++i) row += " -1";
        QTest::newRow("hostile count") << QByteArray("100000000\n" + names + "\n" + row + "\n") << 1
                                       << "the image count 100000000 does not fit in the file: its 131 bytes after "
                                          "the header hold at most 1 image lines of 40 values";
        QTest::newRow("one line short") << QByteArray("4\nA\na 1\nb 1\nc 1") << 1
                                        << "the image count 4 does not fit in the file";
    }
    void malformed() {
        QFETCH(QByteArray, text);
        QFETCH(int, line);
        QFETCH(QString, reason);
        QTemporaryDir tmp;
        const QString path = tmp.filePath("list_attr_celeba.txt");
        QVERIFY(write_text(path, text));
        const QString msg = error_of([&] { read_celeba_attributes(path.toStdString()); });
        QVERIFY2(msg.startsWith(path + ":" + QString::number(line) + ": "), qPrintable(msg));
        QVERIFY2(msg.contains(reason), qPrintable(msg));
    }

    void count_that_just_fits() {
        // Three one-character names with one value each, the last line without
        // its line end: the tightest file that holds the count it announces.
        QTemporaryDir tmp;
        const QString path = tmp.filePath("list_attr_celeba.txt");
        QVERIFY(write_text(path, "3\nA\na 1\nb 1\nc -1"));
        const CelebaAttributeFile f = read_celeba_attributes(path.toStdString());
        QCOMPARE(f.files.size(), std::size_t(3));
        QCOMPARE(int(f.rows[2][0]), -1);
    }

    void missing_file() {
        const QString msg = error_of([] { read_celeba_attributes("/nonexistent/list_attr_celeba.txt"); });
        QVERIFY2(msg.startsWith("/nonexistent/list_attr_celeba.txt: cannot open"), qPrintable(msg));
    }
};

QTEST_APPLESS_MAIN(TestCeleba)
#include "test_celeba.moc"
