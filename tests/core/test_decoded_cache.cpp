// SPDX-License-Identifier: GPL-3.0-or-later
#include <QtTest/QtTest>

#include <filesystem>
#include <optional>
#include <thread>

#include <QElapsedTimer>
#include <QFile>

#include <nlohmann/json.hpp>

#include "error_of.h"
#include "common/binary_io.h"
#include "common/error.h"
#include "common/file_lock.h"
#include "common/memory.h"
#include "data/decoded_cache.h"
#include "peak_memory.h"
#include "train/train_config.h"

using namespace latentlab;

namespace {

bool write_bytes(const QString& path, const std::string& bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes.data(), qint64(bytes.size())) == qint64(bytes.size());
}

// A cache file in LatentLab's layout with a valid checksum, whatever the
// header says: "LLCACHE2", u64 pixel bytes, u64 header bytes, zeros to 4096,
// pixels, header, CRC-32 of the lengths, pixels and header.
void write_cache(const QString& path, const nlohmann::json& header, std::size_t pixel_bytes) {
    const std::string text = header.dump();
    std::string lengths;
    put_le<std::uint64_t>(lengths, pixel_bytes);
    put_le<std::uint64_t>(lengths, text.size());
    const std::string pixels(pixel_bytes, '\x7f');
    std::string out = "LLCACHE2" + lengths + std::string(4096 - 24, '\0') + pixels + text;
    put_le<std::uint32_t>(out, crc32_of((lengths + pixels + text).data(), lengths.size() + pixels.size() + text.size()));
    QVERIFY(write_bytes(path, out));
}

// An IDX file of 28 x 28 images that declares `declared` images and holds `held`.
bool write_idx(const QString& path, std::uint32_t declared, std::uint32_t held) {
    QByteArray bytes;
    for (const std::uint32_t v : {0x00000803u, declared, 28u, 28u})
        for (int shift = 24; shift >= 0; shift -= 8) bytes.append(char((v >> shift) & 0xff));
    for (std::uint32_t i = 0; i < held * 28 * 28; ++i) bytes.append(char((i * 7 + i / 784) & 0xff));
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

nlohmann::json cache_header(const std::string& key, const nlohmann::json& size, const nlohmann::json& channels,
                            int images) {
    nlohmann::json names = nlohmann::json::array();
    for (int i = 0; i < images; ++i) names.push_back("img" + std::to_string(i));
    return {{"key", key},           {"size", size},
            {"channels", channels}, {"names", names},
            {"skipped", nlohmann::json::array()}, {"attribute_names", nlohmann::json::array()},
            {"attributes", nlohmann::json::array()}};
}

} // namespace

class TestDecodedCache : public QObject {
    Q_OBJECT
private Q_SLOTS:
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

    void well_formed_crafted_cache_is_read() {
        // The crafting helper itself writes what the loader accepts.
        QTemporaryDir dir;
        const QString path = dir.filePath("ok.llcache");
        write_cache(path, cache_header("k", 4, 3, 2), 2 * 4 * 4 * 3);
        const auto d = load_decoded_cache(path.toStdString(), "k");
        QVERIFY(d.has_value());
        QCOMPARE(d->count(), std::size_t(2));
        QCOMPARE(int(d->pixels[5]), 0x7f);
    }

    void hostile_cache_headers_are_refused_data() {
        QTest::addColumn<QByteArray>("header");  // JSON
        QTest::addColumn<int>("pixel_bytes");
        // -8 squared is 64: 2 images "of -8 px" match 384 bytes unless the
        // size itself is checked.
        QTest::newRow("negative size") << QByteArray(cache_header("k", -8, 3, 2).dump().c_str()) << 2 * 64 * 3;
        QTest::newRow("size as a huge float") << QByteArray(cache_header("k", 1e300, 3, 2).dump().c_str()) << 2 * 48;
        QTest::newRow("size as a fraction") << QByteArray(cache_header("k", 4.5, 3, 2).dump().c_str()) << 2 * 48;
        QTest::newRow("two channels") << QByteArray(cache_header("k", 4, 2, 2).dump().c_str()) << 2 * 32;
        QTest::newRow("more names than pixels") << QByteArray(cache_header("k", 4, 3, 1000).dump().c_str()) << 48;
        auto attrs = cache_header("k", 4, 3, 2);
        attrs["attribute_names"] = {"Smiling"};
        attrs["attributes"] = {{1}, {300}};  // would wrap to 44 as an int8
        QTest::newRow("attribute out of range") << QByteArray(attrs.dump().c_str()) << 2 * 48;
        attrs["attributes"] = {{1}, {-1e300}};
        QTest::newRow("attribute huge float") << QByteArray(attrs.dump().c_str()) << 2 * 48;
        attrs["attributes"] = {{1}};
        QTest::newRow("attribute rows missing") << QByteArray(attrs.dump().c_str()) << 2 * 48;
        attrs["attributes"] = {{1, 1}, {1, -1}};
        QTest::newRow("attribute row too wide") << QByteArray(attrs.dump().c_str()) << 2 * 48;
        auto skipped = cache_header("k", 4, 3, 2);
        skipped["skipped"] = {{"a.png"}};
        QTest::newRow("skipped entry short") << QByteArray(skipped.dump().c_str()) << 2 * 48;
    }
    void hostile_cache_headers_are_refused() {
        QFETCH(QByteArray, header);
        QFETCH(int, pixel_bytes);
        QTemporaryDir dir;
        const QString path = dir.filePath("hostile.llcache");
        write_cache(path, nlohmann::json::parse(header.toStdString()), std::size_t(pixel_bytes));
        QVERIFY(!load_decoded_cache(path.toStdString(), "k").has_value());
    }

    void hostile_header_length_is_refused_data() {
        QTest::addColumn<quint64>("pixel_bytes");
        QTest::addColumn<quint64>("header_bytes");
        QTest::newRow("header longer than any file") << quint64(48) << quint64(~std::uint64_t(0) - 4);
        QTest::newRow("pixels longer than any file") << quint64(~std::uint64_t(0) - 4) << quint64(2);
        QTest::newRow("lengths that wrap around") << quint64(~std::uint64_t(0) - 4000) << quint64(4100);
        QTest::newRow("one byte short") << quint64(48) << quint64(3);
    }
    void hostile_header_length_is_refused() {
        QFETCH(quint64, pixel_bytes);
        QFETCH(quint64, header_bytes);
        QTemporaryDir dir;
        const QString path = dir.filePath("length.llcache");
        std::string lengths;
        put_le<std::uint64_t>(lengths, pixel_bytes);
        put_le<std::uint64_t>(lengths, header_bytes);
        std::string out = "LLCACHE2" + lengths + std::string(4096 - 24, '\0') + std::string(48, '\x7f') + "{}";
        put_le<std::uint32_t>(out, crc32_of(out.data() + 8, out.size() - 8));
        QVERIFY(write_bytes(path, out));
        QVERIFY(!load_decoded_cache(path.toStdString(), "k").has_value());
    }

    void older_caches_are_decoded_again() {
        // The first layout (pixels after the header, not mappable) is not read.
        QTemporaryDir dir;
        const QString path = dir.filePath("old.llcache");
        const std::string text = cache_header("k", 4, 3, 2).dump();
        std::string out("LLCACHE1");
        put_le<std::uint64_t>(out, text.size());
        out += text + std::string(96, '\x7f');
        put_le<std::uint32_t>(out, crc32_of(out.data() + 8, out.size() - 8));
        QVERIFY(write_bytes(path, out));
        QVERIFY(!load_decoded_cache(path.toStdString(), "k").has_value());
    }

    void cached_pixels_are_mapped_not_read() {
        // 600 random images at 96 px: 16.6 MB of pixels. They stay in the
        // file: loading maps them, and the checksum pass releases each chunk
        // it has read, so the process does not keep them resident.
        QTemporaryDir dir;
        const DataSpec spec = parse_data_spec("random:600");
        DecodeOptions o;
        o.size = 96;
        const std::string key = decoded_cache_key(spec, o, 1);
        const std::string path = decoded_cache_path(dir.path().toStdString(), key);
        std::size_t bytes = 0;
        std::uint32_t crc = 0;
        {
            const DecodedImages images = load_data(spec, o, 1);
            bytes = images.pixels.size();
            crc = crc32_of_store(images.pixels, 0);
            save_decoded_cache(path, images, key);
        }
        std::optional<DecodedImages> loaded;
        malloc_trim(0);
        const std::uint64_t before = test::rss_bytes();
        const std::uint64_t grew = test::peak_rss_growth([&] { loaded = load_decoded_cache(path, key); });
        const std::uint64_t after = test::rss_bytes();
        QVERIFY(loaded.has_value());
        QVERIFY(loaded->pixels.mapped());
        QCOMPARE(loaded->pixels.size(), bytes);
        QCOMPARE(crc32_of_store(loaded->pixels, 0), crc);
        QVERIFY2(grew < bytes * 3 / 4, qPrintable(QString("peak grew by %1 for %2 bytes of pixels").arg(grew).arg(bytes)));
        QVERIFY2(after < before + bytes / 4,
                 qPrintable(QString("resident memory grew by %1 for %2 bytes of pixels").arg(qint64(after - before)).arg(bytes)));
    }

    void file_sources_decode_straight_into_the_cache_file() {
        QTemporaryDir dir;
        const QString idx = dir.filePath("images-idx3-ubyte");
        QVERIFY(write_idx(idx, 50, 50));
        const DataSpec spec = parse_data_spec(idx.toStdString());
        DecodeOptions o;
        o.size = 16;
        const std::string cache = dir.filePath("cache").toStdString();
        bool reused = true;
        const DecodedImages first = load_data_with_cache(spec, o, 1, cache, &reused);
        QVERIFY(!reused);
        QVERIFY(first.pixels.mapped());
        const DecodedImages memory = load_data(spec, o, 1);
        QVERIFY(!memory.pixels.mapped());
        QVERIFY(first.pixels == memory.pixels);
        const std::string path = decoded_cache_path(cache, decoded_cache_key(spec, o, 1));
        QVERIFY(QFile::exists(QString::fromStdString(path)));
        QVERIFY(!QFile::exists(QString::fromStdString(decoding_path(path))));
        const DecodedImages second = load_data_with_cache(spec, o, 1, cache, &reused);
        QVERIFY(reused);
        QVERIFY(second.pixels.mapped());
        QVERIFY(second.pixels == memory.pixels);
        QVERIFY(second.names == memory.names);
        // Released pages come back from the file unchanged, written or only read.
        first.pixels.release(0, first.pixels.size());
        second.pixels.release(5, 3);
        QVERIFY(first.pixels == memory.pixels);
        QVERIFY(second.pixels == memory.pixels);
    }

    void a_failed_decode_leaves_no_cache_file() {
        QTemporaryDir dir;
        const QString idx = dir.filePath("short-idx3-ubyte");
        QVERIFY(write_idx(idx, 100, 10));  // declares 100 images, holds 10
        const DataSpec spec = parse_data_spec(idx.toStdString());
        DecodeOptions o;
        o.size = 16;
        const std::string cache = dir.filePath("cache").toStdString();
        QVERIFY(error_of([&] { load_data_with_cache(spec, o, 1, cache); }).contains("truncated IDX file"));
        QCOMPARE(QDir(QString::fromStdString(cache)).entryList(QDir::Files), QStringList());
    }

    // Two windows (or a window and `train`) that want the same images at once:
    // the second waits while the first decodes, then maps the first one's file.
    void a_second_decode_waits_for_the_first() {
        QTemporaryDir dir;
        const QString idx = dir.filePath("digits-idx3-ubyte");
        QVERIFY(write_idx(idx, 200, 200));
        const DataSpec spec = parse_data_spec(idx.toStdString());
        DecodeOptions o;
        o.size = 16;
        const std::string cache = dir.filePath("cache").toStdString();
        const std::string key = decoded_cache_key(spec, o, 1);
        const std::string path = decoded_cache_path(cache, key);
        std::filesystem::create_directories(cache);
        std::optional<FileLock> first = FileLock::try_lock(path + ".lock");  // the other window, decoding
        QVERIFY(first.has_value());

        bool reused = false;
        std::optional<DecodedImages> second;
        std::thread waiting([&] { second = load_data_with_cache(spec, o, 1, cache, &reused); });
        QTest::qWait(300);
        QVERIFY(!second.has_value());  // still waiting, and not decoding into the other's file
        QVERIFY(!QFile::exists(QString::fromStdString(decoding_path(path))));
        const DecodedImages decoded = load_data(spec, o, 1);
        save_decoded_cache(path, decoded, key);
        first->release();
        waiting.join();
        QVERIFY(second.has_value());
        QVERIFY(reused);  // it mapped the file the first one saved
        QVERIFY(second->pixels.mapped());
        QVERIFY(second->pixels == decoded.pixels);
        // What is left: the cache file, no lock file.
        QCOMPARE(QDir(QString::fromStdString(cache)).entryList(QDir::Files),
                 QStringList{QString::fromStdString(std::filesystem::path(path).filename().string())});

        // A wait can be cancelled (a superseded scan, a closed window).
        std::filesystem::remove(path);
        first = FileLock::try_lock(path + ".lock");
        std::atomic<bool> cancel{false};
        o.cancel = &cancel;
        QString message;
        std::thread cancelled([&] { message = error_of([&] { load_data_with_cache(spec, o, 1, cache); }); });
        QTest::qWait(100);
        cancel = true;
        cancelled.join();
        QCOMPARE(message, QString::fromStdString(path + ": cancelled"));
    }

    void pruning_keeps_the_newest_caches() {
        QTemporaryDir dir;
        const DataSpec spec = parse_data_spec("synthetic:8");
        for (int size : {16, 24, 32}) {
            DecodeOptions o;
            o.size = size;
            load_data_with_cache(spec, o, 1, dir.path().toStdString());
            QTest::qWait(20);  // distinct modification times
        }
        DecodeOptions o16;
        o16.size = 16;
        bool reused = false;
        load_data_with_cache(spec, o16, 1, dir.path().toStdString(), &reused);  // touched: the newest now
        QVERIFY(reused);
        QFile(dir.filePath("junk.llcache.decoding")).open(QIODevice::WriteOnly);  // a fresh one: kept
        QFile(dir.filePath("gone.llcache.lock")).open(QIODevice::WriteOnly);      // a crashed decode's lock: removed
        const auto busy = FileLock::try_lock(dir.filePath("busy.llcache.lock").toStdString());  // decoding now: kept
        QVERIFY(busy.has_value());
        QCOMPARE(prune_decoded_caches(dir.path().toStdString(), 2), std::size_t(1));
        const QStringList left = QDir(dir.path()).entryList(QDir::Files);
        QCOMPARE(left.size(), 4);
        QVERIFY(left.contains("junk.llcache.decoding"));
        QVERIFY(left.contains("busy.llcache.lock"));
        QVERIFY(left.contains(QString::fromStdString(
            std::filesystem::path(decoded_cache_path(dir.path().toStdString(), decoded_cache_key(spec, o16, 1)))
                .filename()
                .string())));
        QCOMPARE(prune_decoded_caches(dir.filePath("missing").toStdString(), 1), std::size_t(0));
    }

    // --- memory: generated data and batches against the machine's RAM ------

    void generated_data_beyond_memory_is_refused_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("described");
        QTest::newRow("random") << "random:10000000" << "random pixels (10000000)";
        QTest::newRow("synthetic") << "synthetic:10000000" << "synthetic faces (10000000)";
    }
    void generated_data_beyond_memory_is_refused() {
        QFETCH(QString, spec);
        QFETCH(QString, described);
        DecodeOptions o;
        o.size = 1024;  // 10 million x 3 MiB: 28.6 TiB, more than any machine
        const std::uint64_t need = std::uint64_t(10000000) * 1024 * 1024 * 3;
        const std::uint64_t have = physical_memory_bytes();
        if (have == 0 || have >= need) QSKIP("this machine's memory is unknown or larger than 28 TiB");
        QString msg;
        QElapsedTimer timer;
        timer.start();
        const std::uint64_t grew = test::peak_rss_growth(
            [&] { msg = error_of([&] { load_data(parse_data_spec(spec.toStdString()), o, 1); }); });
        QCOMPARE(msg, "data '" + described + "' at 1024 px needs " + QString::fromStdString(format_bytes(need)) +
                          " of memory, but this machine has " + QString::fromStdString(format_bytes(have)));
        QVERIFY(msg.contains("28.6 TiB"));
        QVERIFY2(timer.elapsed() < 250, qPrintable(QString("took %1 ms").arg(timer.elapsed())));
        QVERIFY(grew < (16u << 20));
    }

    void memory_needed_counts_images_and_batches() {
        TrainConfig c;
        c.data = "synthetic:1000";
        c.model.image_size = 64;
        c.random_crop = false;
        c.batch_size = 64;
        c.pairs = 2;
        std::uint64_t images = 0, batches = 0;
        const std::uint64_t total = c.memory_needed(&images, &batches);
        QCOMPARE(images, std::uint64_t(1000) * 64 * 64 * 3);
        // kPrefetchBatches ready + the one trained on + one copy per pair.
        QCOMPARE(batches, std::uint64_t(64) * 3 * 64 * 64 * 4 * (kPrefetchBatches + 1 + 2));
        QCOMPARE(total, images + batches);
        c.channels_auto = false;
        c.model.channels = 1;
        QCOMPARE(c.memory_needed(), std::uint64_t(1000) * 64 * 64 + std::uint64_t(64) * 64 * 64 * 4 * 7);
        c.data = "/some/folder";  // counted once read
        QCOMPARE(c.memory_needed(), std::uint64_t(64) * 64 * 64 * 4 * 7);
        c.random_crop = true;  // decoded 1/8 larger
        c.data = "random:10";
        QCOMPARE(c.memory_needed(&images), std::uint64_t(10) * 72 * 72 + std::uint64_t(64) * 64 * 64 * 4 * 7);
        QCOMPARE(images, std::uint64_t(10) * 72 * 72);
        TrainConfig defaults;
        defaults.validate();  // the defaults fit anywhere
    }

    void config_beyond_memory_is_refused_data() {
        QTest::addColumn<QString>("data");
        QTest::addColumn<int>("batch");
        QTest::addColumn<QString>("start");
        QTest::newRow("random count") << "random:10000000" << 64
                                      << "batch size 64 at 128 px with data 'random:10000000' (decoded images 457.8 GiB";
        QTest::newRow("synthetic count") << "synthetic:10000000" << 64
                                         << "batch size 64 at 128 px with data 'synthetic:10000000' (decoded images 457.8 GiB";
        QTest::newRow("batch size") << "synthetic:100" << 65536
                                    << "batch size 65536 at 128 px with data 'synthetic:100' (decoded images 4.7 MiB, "
                                       "float32 batches 72.0 GiB)";
        QTest::newRow("batch size, folder") << "/data/faces" << 65536 << "batch size 65536 at 128 px (float32 batches 72.0 GiB)";
    }
    void config_beyond_memory_is_refused() {
        QFETCH(QString, data);
        QFETCH(int, batch);
        QFETCH(QString, start);
        TrainConfig c;
        c.data = data.toStdString();
        c.model.image_size = 128;
        c.batch_size = batch;
        c.random_crop = false;
        c.pairs = 1;
        const std::uint64_t have = physical_memory_bytes();
        if (have == 0 || have >= c.memory_needed()) QSKIP("this machine has more memory than the test asks for");
        const QString msg = error_of([&] { c.validate(); });
        QVERIFY2(msg.startsWith(start), qPrintable(msg));
        QVERIFY2(msg.endsWith(" of memory, but this machine has " + QString::fromStdString(format_bytes(have))),
                 qPrintable(msg));
        QVERIFY(msg.contains(" needs " + QString::fromStdString(format_bytes(c.memory_needed()))));
    }

    void hostile_data_specs_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("reason");
        QTest::newRow("20 digits") << "random:99999999999999999999" << "is not a positive whole number";
        QTest::newRow("2^64 + 1") << "synthetic:18446744073709551617" << "is not a positive whole number";
        QTest::newRow("negative") << "random:-1" << "is not a positive whole number";
        QTest::newRow("exponent") << "random:1e9" << "is not a positive whole number";
        QTest::newRow("hex") << "random:0x10" << "is not a positive whole number";
        QTest::newRow("blank") << "random: 5" << "is not a positive whole number";
        QTest::newRow("empty") << "synthetic:" << "is not a positive whole number";
        QTest::newRow("zero") << "random:0" << "is out of range (1..10000000)";
        QTest::newRow("over the cap") << "synthetic:10000001" << "is out of range (1..10000000)";
    }
    void hostile_data_specs() {
        QFETCH(QString, spec);
        QFETCH(QString, reason);
        const QString msg = error_of([&] { parse_data_spec(spec.toStdString()); });
        QVERIFY2(msg.startsWith("data '" + spec + "': count "), qPrintable(msg));
        QVERIFY2(msg.contains(reason), qPrintable(msg));
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
