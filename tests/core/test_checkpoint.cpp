// SPDX-License-Identifier: GPL-3.0-or-later
#include <QtTest/QtTest>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <torch/torch.h>
#include <zlib.h>

#include "checkpoint/checkpoint_file.h"
#include "checkpoint/checkpoint_store.h"
#include "checkpoint/generator_snapshot.h"
#include "common/error.h"
#include "error_of.h"
#include "common/atomic_file.h"
#include "models/generator.h"

using namespace latentlab;
namespace fs = std::filesystem;

namespace {

ModelConfig small_model() {
    ModelConfig c;
    c.image_size = 32;
    c.nz = 8;
    c.ngf = 4;
    c.ndf = 4;
    return c;
}

std::string checkpoint_bytes(Generator& g, std::int64_t iteration) {
    CheckpointWriter w;
    w.set_meta({{"iteration", iteration},
                {"config", {{"image_size", 32}, {"channels", 3}, {"nz", 8}, {"ngf", 4}, {"ndf", 4}}}});
    w.add_module("generator", *g);
    w.add_tensor("extra", torch::arange(5));
    return w.bytes();
}

std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void write_all(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// A checkpoint file around `payload`, with a correct header and checksum, so
// that only the tensor table can be objected to.
std::string wrap_payload(const std::string& payload, std::uint32_t format = kCheckpointFormat) {
    std::string out(kCheckpointMagic, sizeof kCheckpointMagic);
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((format >> (8 * i)) & 0xff));
    const std::uint64_t size = payload.size();
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((size >> (8 * i)) & 0xff));
    const uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(payload.data()), static_cast<uInt>(payload.size()));
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((crc >> (8 * i)) & 0xff));
    return out + payload;
}

// A safetensors payload with the given JSON header text and `data_bytes` zero bytes of data.
std::string table_payload(const std::string& header, std::size_t data_bytes) {
    std::string out;
    const std::uint64_t size = header.size();
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((size >> (8 * i)) & 0xff));
    return out + header + std::string(data_bytes, '\0');
}

QString error_of(const std::string& path) {
    try {
        CheckpointReader r(path);
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

} // namespace

class TestCheckpoint : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void round_trip() {
        QTemporaryDir dir;
        Generator g(small_model());
        const std::string path = dir.filePath("a.llck").toStdString();
        write_file_atomically(path, checkpoint_bytes(g, 42));
        CheckpointReader r(path);
        QCOMPARE(r.meta().at("iteration").get<int>(), 42);
        QVERIFY(torch::equal(r.tensor("extra"), torch::arange(5)));
        Generator h(small_model());
        r.load_module("generator", *h);
        const auto pg = g->named_parameters(), ph = h->named_parameters();
        for (const auto& item : pg) QVERIFY(torch::equal(item.value(), ph[item.key()]));
        const auto bg = g->named_buffers(), bh = h->named_buffers();
        for (const auto& item : bg) QVERIFY(torch::equal(item.value(), bh[item.key()]));
        QVERIFY(error_of(path).isEmpty());
        // The generator alone, as sample/interpolate/arithmetic load it.
        const GeneratorSnapshot s = load_generator(path, torch::kCPU);
        QCOMPARE(s.model.nz, std::int64_t{8});
        QVERIFY(!s.generator->is_training());
    }

    void bad_files_give_one_line_errors_data() {
        QTest::addColumn<QString>("damage");
        QTest::addColumn<QString>("reason");
        QTest::newRow("empty") << "empty" << "the file is empty";
        QTest::newRow("foreign") << "foreign" << "not a LatentLab checkpoint";
        QTest::newRow("pytorch zip") << "zip" << "not a LatentLab checkpoint";
        QTest::newRow("header only") << "header" << "truncated";
        QTest::newRow("truncated") << "truncate" << "truncated checkpoint";
        QTest::newRow("flipped byte") << "flip" << "checksum mismatch";
        QTest::newRow("appended") << "append" << "unexpected bytes";
        QTest::newRow("missing") << "missing" << "cannot open";
    }
    void bad_files_give_one_line_errors() {
        QFETCH(QString, damage);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        Generator g(small_model());
        std::string bytes = checkpoint_bytes(g, 1);
        const std::string path = dir.filePath("bad.llck").toStdString();
        if (damage == "empty") bytes.clear();
        else if (damage == "foreign") bytes = "#!/bin/sh\necho hello\n";
        else if (damage == "zip") bytes = std::string("PK\x03\x04", 4) + std::string(200, 'x');
        else if (damage == "header") bytes.resize(12);
        else if (damage == "truncate") bytes.resize(bytes.size() / 2);
        else if (damage == "flip") bytes[bytes.size() / 2] ^= 0x40;
        else if (damage == "append") bytes += "junk";
        if (damage != "missing") write_all(path, bytes);
        const QString message = error_of(path);
        QVERIFY2(message.startsWith(QString::fromStdString(path)), qPrintable(message));
        QVERIFY2(message.contains(reason), qPrintable(message));
        QVERIFY(!message.contains('\n'));
    }

    void garbage_payload_with_a_valid_checksum_is_an_error_not_a_crash() {
        QTemporaryDir dir;
        Generator g(small_model());
        std::string bytes = checkpoint_bytes(g, 1);
        // Scramble the zip but recompute the header so only the archive reader can object.
        std::string payload = bytes.substr(24);
        for (std::size_t i = 0; i < payload.size(); i += 97) payload[i] = static_cast<char>(payload[i] ^ 0x5a);
        std::string header = bytes.substr(0, 20);
        const uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(payload.data()), static_cast<uInt>(payload.size()));
        for (int i = 0; i < 4; ++i) header.push_back(static_cast<char>((crc >> (8 * i)) & 0xff));
        const std::string path = dir.filePath("scrambled.llck").toStdString();
        write_all(path, header + payload);
        const QString message = error_of(path);
        QVERIFY2(!message.isEmpty(), "a scrambled archive was accepted");
        QVERIFY(message.startsWith(QString::fromStdString(path)));
    }

    void older_format_is_refused_by_name() {
        QTemporaryDir dir;
        Generator g(small_model());
        const std::string path = dir.filePath("old.llck").toStdString();
        write_all(path, wrap_payload(checkpoint_bytes(g, 1).substr(kCheckpointHeaderSize), 1));
        const QString message = error_of(path);
        QVERIFY2(message.contains("written by an older LatentLab (checkpoint format 1"), qPrintable(message));
        QVERIFY(!message.contains('\n'));
    }

    // Each tensor table is refused by the check its row names, before any
    // tensor is allocated; the message names the file and the field.
    void hostile_tensor_tables_are_refused_data() {
        QTest::addColumn<QString>("payload");
        QTest::addColumn<int>("data_bytes");
        QTest::addColumn<QString>("reason");
        const QString meta = R"("__metadata__":{"latentlab":"{}"})";
        QTest::newRow("header longer than the file") << "LENGTH" << 0 << "exceeds the";
        QTest::newRow("not JSON") << "{nope" << 0 << "not valid JSON";
        QTest::newRow("dtype not allowed")
            << "{" + meta + R"(,"w":{"dtype":"OBJ","shape":[1],"data_offsets":[0,8]}})" << 8 << "'w' has dtype \"OBJ\"";
        QTest::newRow("negative dimension")
            << "{" + meta + R"(,"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})" << 4 << "'w' has an invalid shape";
        QTest::newRow("shape larger than its bytes")
            << "{" + meta + R"(,"w":{"dtype":"F32","shape":[1000000,1000000],"data_offsets":[0,4]}})" << 4 << "does not fill";
        QTest::newRow("shape that overflows")
            << "{" + meta + R"(,"w":{"dtype":"F32","shape":[4611686018427387904,4611686018427387904,4],"data_offsets":[0,0]}})"
            << 0 << "does not fill";
        QTest::newRow("offsets past the data")
            << "{" + meta + R"(,"w":{"dtype":"U8","shape":[64],"data_offsets":[0,64]}})" << 8 << "outside the 8 data bytes";
        QTest::newRow("reversed offsets")
            << "{" + meta + R"(,"w":{"dtype":"U8","shape":[0],"data_offsets":[8,0]}})" << 8 << "outside";
        QTest::newRow("overlapping tensors")
            << "{" + meta + R"(,"a":{"dtype":"U8","shape":[8],"data_offsets":[0,8]},"b":{"dtype":"U8","shape":[4],"data_offsets":[4,8]}})"
            << 8 << "overlapping";
        QTest::newRow("a gap") << "{" + meta + R"(,"a":{"dtype":"U8","shape":[4],"data_offsets":[4,8]}})" << 8 << "a gap";
        QTest::newRow("bytes no tensor uses")
            << "{" + meta + R"(,"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}})" << 8 << "4 bytes no tensor uses";
        QTest::newRow("no metadata") << R"({"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}})" << 4 << "has no metadata";
    }
    void hostile_tensor_tables_are_refused() {
        QFETCH(QString, payload);
        QFETCH(int, data_bytes);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        const std::string path = dir.filePath("hostile.llck").toStdString();
        std::string bytes = table_payload(payload.toStdString(), static_cast<std::size_t>(data_bytes));
        if (payload == "LENGTH") {
            bytes = table_payload("{}", 0);
            bytes[5] = 0x7f;  // a header length of about 2^47
        }
        write_all(path, wrap_payload(bytes));
        const QString message = error_of(path);
        QVERIFY2(message.startsWith(QString::fromStdString(path) + ": "), qPrintable(message));
        QVERIFY2(message.contains(reason), qPrintable(message));
        QVERIFY(!message.contains('\n'));
    }

    void a_model_of_another_shape_is_refused_and_left_unchanged() {
        QTemporaryDir dir;
        Generator g(small_model());
        const std::string path = dir.filePath("a.llck").toStdString();
        write_all(path, checkpoint_bytes(g, 1));
        ModelConfig wider = small_model();
        wider.ngf = 8;
        Generator h(wider);
        const at::Tensor before = h->named_parameters()["main.0.weight"].clone();
        const QString message = error_of([&] { CheckpointReader(path).load_module("generator", *h); });
        QVERIFY2(message.contains("'generator/main.0.weight' has shape [8, 16, 4, 4], the model needs [8, 32, 4, 4]"),
                 qPrintable(message));
        QVERIFY(torch::equal(h->named_parameters()["main.0.weight"], before));
        // A loose tensor of the wrong type is named too.
        const QString typed = error_of([&] { CheckpointReader(path).tensor("extra", at::kFloat); });
        QVERIFY2(typed.contains("'extra' is I64, expected F32"), qPrintable(typed));
    }

    // A few bytes of metadata claiming a wide model: refused before the model
    // (about 1.3 GB of weights) is built, naming what the file lacks.
    void a_config_larger_than_its_tensors_is_refused_before_building_the_model() {
        QTemporaryDir dir;
        CheckpointWriter w;
        w.set_meta({{"config", {{"image_size", 64}, {"channels", 3}, {"nz", 100}, {"ngf", 512}, {"ndf", 512}}}});
        w.add_tensor("fixed_noise", torch::zeros({1, 100}));
        const std::string path = dir.filePath("wide.llck").toStdString();
        write_all(path, w.bytes());
        const QString g = error_of([&] { load_generator(path, torch::kCPU); });
        QVERIFY2(g.startsWith(QString::fromStdString(path) + ": the checkpoint's config describes a generator of "), qPrintable(g));
        QVERIFY2(g.endsWith("weights, more than its 400 bytes of tensors hold"), qPrintable(g));
        const QString d = error_of([&] { load_discriminator(path, torch::kCPU); });
        QVERIFY2(d.contains("describes a discriminator of "), qPrintable(d));
    }

    void absurd_model_sizes_are_refused_before_allocation() {
        ModelConfig huge = small_model();
        huge.image_size = 128;
        huge.ngf = 4096;
        const QString message = error_of([&] { huge.validate(); });
        QVERIFY2(message.contains("parameters, more than LatentLab's limit"), qPrintable(message));
        ModelConfig usual;  // 64 px, ngf = ndf = 64
        QVERIFY(usual.parameter_count() > 6000000 && usual.parameter_count() < 7000000);
    }

    void store_keeps_the_last_n_plus_latest() {
        QTemporaryDir dir;
        Generator g(small_model());
        CheckpointStore store(dir.filePath("checkpoints").toStdString(), 2);
        for (int i = 1; i <= 4; ++i) store.save(checkpoint_bytes(g, i), i, i * 10, true);
        const auto kept = store.healthy_checkpoints();
        QCOMPARE(kept.size(), std::size_t{2});
        QVERIFY(QString::fromStdString(kept[0]).endsWith("ckpt-e0003-i000000030.llck"));
        QVERIFY(QString::fromStdString(kept[1]).endsWith("ckpt-e0004-i000000040.llck"));
        QCOMPARE(CheckpointReader(store.latest_path()).meta().at("iteration").get<int>(), 4);
        QCOMPARE(store.latest_path(), CheckpointStore::latest_in(dir.path().toStdString()));
    }

    void unhealthy_checkpoints_never_replace_healthy_ones() {
        QTemporaryDir dir;
        Generator g(small_model());
        CheckpointStore store(dir.filePath("checkpoints").toStdString(), 1);
        store.save(checkpoint_bytes(g, 1), 1, 10, true);
        const std::string bad = store.save(checkpoint_bytes(g, 2), 1, 11, false);
        QVERIFY(QString::fromStdString(bad).contains("unhealthy-"));
        QVERIFY(fs::exists(bad));
        QCOMPARE(CheckpointReader(store.latest_path()).meta().at("iteration").get<int>(), 1);
        QCOMPARE(store.healthy_checkpoints().size(), std::size_t{1});
    }

    void interrupted_write_leaves_the_previous_checkpoint_intact() {
        QTemporaryDir dir;
        Generator g(small_model());
        const std::string folder = dir.filePath("checkpoints").toStdString();
        CheckpointStore store(folder, 3);
        store.save(checkpoint_bytes(g, 1), 1, 10, true);
        const std::string before = read_all(store.latest_path());

        // A child process starts writing a larger checkpoint and dies mid-way:
        // a file-size limit makes the kernel kill it (SIGXFSZ) after 1 MiB.
        const std::string big(8u << 20, 'x');
        const pid_t child = fork();
        if (child == 0) {
            const rlimit limit{1u << 20, 1u << 20};
            setrlimit(RLIMIT_FSIZE, &limit);
            try {
                store.save(big, 2, 20, true);
            } catch (...) {
            }
            _exit(0);
        }
        int status = 0;
        waitpid(child, &status, 0);
        QVERIFY(WIFSIGNALED(status));
        QCOMPARE(WTERMSIG(status), SIGXFSZ);
        const fs::path partial = fs::path(folder) / "ckpt-e0002-i000000020.llck.partial";
        QVERIFY(fs::exists(partial));
        QCOMPARE(fs::file_size(partial), std::uintmax_t{1u << 20});

        QCOMPARE(read_all(store.latest_path()), before);
        QCOMPARE(CheckpointReader(store.latest_path()).meta().at("iteration").get<int>(), 1);
        QVERIFY(!fs::exists(fs::path(folder) / "ckpt-e0002-i000000020.llck"));
        // Opening the store again clears what the interrupted write left.
        CheckpointStore reopened(folder, 3);
        QVERIFY(!fs::exists(partial));
        QCOMPARE(reopened.healthy_checkpoints().size(), std::size_t{1});
    }

    void pruning_orders_by_the_numbers_not_the_text_data() {
        QTest::addColumn<QStringList>("before");   // already in the folder, in no particular order
        QTest::addColumn<qint64>("epoch");         // then this one is saved (keep 2)
        QTest::addColumn<qint64>("iteration");
        QTest::addColumn<QStringList>("kept");     // the healthy ones left, oldest first
        QTest::addColumn<QStringList>("removed");
        QTest::newRow("epoch 10000 after 9999")
            << QStringList{"ckpt-e9999-i000099990.llck", "ckpt-e9998-i000099980.llck"} << qint64(10000)
            << qint64(100000) << QStringList{"ckpt-e9999-i000099990.llck", "ckpt-e10000-i000100000.llck"}
            << QStringList{"ckpt-e9998-i000099980.llck"};
        // As text "ckpt-e10000" sorts first of all and would be the one pruned.
        QTest::newRow("a saved epoch 10000 is not the oldest")
            << QStringList{"ckpt-e10000-i000100000.llck", "ckpt-e9999-i000099990.llck"} << qint64(10001)
            << qint64(100010) << QStringList{"ckpt-e10000-i000100000.llck", "ckpt-e10001-i000100010.llck"}
            << QStringList{"ckpt-e9999-i000099990.llck"};
        QTest::newRow("iteration past nine digits")
            << QStringList{"ckpt-e0005-i999999999.llck", "ckpt-e0005-i999999998.llck"} << qint64(5)
            << qint64(1000000000) << QStringList{"ckpt-e0005-i999999999.llck", "ckpt-e0005-i1000000000.llck"}
            << QStringList{"ckpt-e0005-i999999998.llck"};
    }

    void pruning_orders_by_the_numbers_not_the_text() {
        QFETCH(QStringList, before);
        QFETCH(qint64, epoch);
        QFETCH(qint64, iteration);
        QFETCH(QStringList, kept);
        QFETCH(QStringList, removed);
        QTemporaryDir dir;
        Generator g(small_model());
        const fs::path folder = dir.filePath("checkpoints").toStdString();
        fs::create_directories(folder);
        for (const auto& name : before) write_all((folder / name.toStdString()).string(), checkpoint_bytes(g, 1));
        // Names that do not read as ckpt-eN-iM.llck are never removed.
        const QStringList strangers{"ckpt-e0001-final.llck", "ckpt-e-1-i000000001.llck", "ckpt-e0001-i0001.llck.bak",
                                    "my-ckpt-e0001-i000000001.llck", "ckpt-e99999999999999999999-i1.llck"};
        for (const auto& name : strangers) write_all((folder / name.toStdString()).string(), "x");

        CheckpointStore store(folder.string(), 2);
        store.save(checkpoint_bytes(g, 2), epoch, iteration, true);
        QStringList names;
        for (const auto& path : store.healthy_checkpoints())
            names << QString::fromStdString(fs::path(path).filename().string());
        QCOMPARE(names, kept);
        for (const auto& name : removed) QVERIFY2(!fs::exists(folder / name.toStdString()), qPrintable(name));
        for (const auto& name : strangers) QVERIFY2(fs::exists(folder / name.toStdString()), qPrintable(name));
        QCOMPARE(CheckpointReader(store.latest_path()).meta().at("iteration").get<int>(), 2);
    }

    void a_full_disk_keeps_the_previous_checkpoint() {
        QTemporaryDir dir;
        Generator g(small_model());
        const std::string folder = dir.filePath("checkpoints").toStdString();
        CheckpointStore store(folder, 3);
        store.save(checkpoint_bytes(g, 1), 1, 10, true);
        const std::string before = read_all(store.latest_path());

        // A file-size limit below the next checkpoint's size: write() fails with
        // EFBIG (instead of a SIGXFSZ), as it would with ENOSPC on a full disk.
        constexpr rlim_t kLimit = 64u << 10;
        const std::string big(kLimit * 4, 'x');
        rlimit saved{};
        QCOMPARE(getrlimit(RLIMIT_FSIZE, &saved), 0);
        const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit lowered = saved;
        lowered.rlim_cur = kLimit;  // the hard limit stays, so the old one can come back
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &lowered), 0);
        QString message;
        try {
            store.save(big, 2, 20, true);
        } catch (const Error& e) {
            message = QString::fromStdString(e.what());
        }
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &saved), 0);
        std::signal(SIGXFSZ, old_handler);

        const std::string target = (fs::path(folder) / "ckpt-e0002-i000000020.llck").string();
        QVERIFY2(message.startsWith(QString::fromStdString(target) + ": "), qPrintable(message));
        QVERIFY2(message.contains(QString::fromUtf8(std::strerror(EFBIG))), qPrintable(message));
        QVERIFY(!message.contains('\n'));
        QVERIFY(!fs::exists(target));
        QVERIFY(!fs::exists(target + ".partial"));
        QCOMPARE(read_all(store.latest_path()), before);
        QCOMPARE(CheckpointReader(store.latest_path()).meta().at("iteration").get<int>(), 1);
        QCOMPARE(store.healthy_checkpoints().size(), std::size_t{1});
        // With room again the next checkpoint goes through.
        store.save(checkpoint_bytes(g, 3), 3, 30, true);
        QCOMPARE(CheckpointReader(store.latest_path()).meta().at("iteration").get<int>(), 3);
    }
};

QTEST_APPLESS_MAIN(TestCheckpoint)
#include "test_checkpoint.moc"
