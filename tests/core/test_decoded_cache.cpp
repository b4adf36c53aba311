// SPDX-License-Identifier: GPL-3.0-or-later
#include <QtTest/QtTest>

#include <QFile>

#include "data/decoded_cache.h"

using namespace latentlab;

class TestDecodedCache : public QObject {
    Q_OBJECT
private slots:
    void round_trip_and_reuse() {
        QTemporaryDir dir;
        const DataSpec spec = parse_data_spec("synthetic:50");
        DecodeOptions o;
        o.size = 16;
        bool reused = true;
        const DecodedImages first = load_data_with_cache(spec, o, 3, dir.path().toStdString(), &reused);
        QVERIFY(!reused);
        const DecodedImages second = load_data_with_cache(spec, o, 3, dir.path().toStdString(), &reused);
        QVERIFY(reused);
        QVERIFY(first.pixels == second.pixels);
        QVERIFY(first.names == second.names);
        QVERIFY(first.attributes.values == second.attributes.values);
        QCOMPARE(second.attributes.names, first.attributes.names);
        // Another seed or size is another key: decoded again, not reused.
        load_data_with_cache(spec, o, 4, dir.path().toStdString(), &reused);
        QVERIFY(!reused);
        o.size = 32;
        load_data_with_cache(spec, o, 3, dir.path().toStdString(), &reused);
        QVERIFY(!reused);
    }

    void damaged_or_foreign_files_are_not_used() {
        QTemporaryDir dir;
        const DataSpec spec = parse_data_spec("synthetic:20");
        DecodeOptions o;
        o.size = 16;
        const std::string key = decoded_cache_key(spec, o, 1);
        const std::string path = decoded_cache_path(dir.path().toStdString(), key);
        save_decoded_cache(path, load_data(spec, o, 1), key);
        QVERIFY(load_decoded_cache(path, key).has_value());
        QVERIFY(!load_decoded_cache(path, key + "x").has_value());
        QFile f(QString::fromStdString(path));
        QVERIFY(f.open(QIODevice::ReadWrite));
        f.seek(f.size() / 2);
        f.write("garbage");
        f.close();
        QVERIFY(!load_decoded_cache(path, key).has_value());  // checksum
        QVERIFY(f.resize(10));
        QVERIFY(!load_decoded_cache(path, key).has_value());  // truncated
        QVERIFY(!load_decoded_cache(dir.filePath("missing").toStdString(), key).has_value());
    }

    void folder_keys_change_when_files_change() {
        QTemporaryDir dir;
        QFile(dir.filePath("a.png")).open(QIODevice::WriteOnly);
        const DataSpec spec = parse_data_spec(dir.path().toStdString());
        const DecodeOptions o;
        const std::string before = decoded_cache_key(spec, o, 1);
        QCOMPARE(decoded_cache_key(spec, o, 2), before);  // the seed does not matter for files
        QFile b(dir.filePath("b.png"));
        QVERIFY(b.open(QIODevice::WriteOnly));
        b.write("x");
        b.close();
        QVERIFY(decoded_cache_key(spec, o, 1) != before);
    }
};

QTEST_APPLESS_MAIN(TestDecodedCache)
#include "test_decoded_cache.moc"
