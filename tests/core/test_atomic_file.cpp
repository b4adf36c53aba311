// SPDX-License-Identifier: GPL-3.0-or-later
// AtomicFile: a file appears whole or not at all, and every failure names the
// file, says why, and leaves neither a temporary file nor a damaged old one.
#include <QtTest/QtTest>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <sys/resource.h>

#include "common/atomic_file.h"
#include "error_of.h"

using namespace latentlab;
namespace fs = std::filesystem;

namespace {

std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_plain(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

} // namespace

class TestAtomicFile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void commit_replaces_the_old_file() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("run.json").toStdString();
        write_plain(path, "old");
        {
            AtomicFile file(path);
            file.append("new ");
            file.write_at("N", 1, 0);
            file.append(std::string("file"));
            QCOMPARE(read_all(path), std::string("old"));  // not there until committed
            file.commit();
        }
        QCOMPARE(read_all(path), std::string("New file"));
        QVERIFY(!fs::exists(path + ".partial"));
    }

    void an_uncommitted_file_leaves_the_old_one() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("run.json").toStdString();
        write_plain(path, "old");
        {
            AtomicFile file(path);
            file.append("half of a new one");
            QVERIFY(fs::exists(path + ".partial"));
        }  // e.g. an exception between the writes
        QCOMPARE(read_all(path), std::string("old"));
        QVERIFY(!fs::exists(path + ".partial"));
    }

    void a_missing_folder_is_named() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("gone/run.json").toStdString();
        const QString message = error_of([&] { write_file_atomically(path, "x"); });
        QCOMPARE(message, QString::fromStdString(path + ": cannot create the file (" + std::strerror(ENOENT) + ")"));
    }

    // A file filled in place (the decoded cache) is finished by name; its
    // temporary must exist.
    void a_file_filled_in_place_is_finished() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("pixels.llcache").toStdString();
        const std::string temp = path + ".decoding";
        write_plain(temp, "pixels");
        {
            AtomicFile file(path, temp, /*continue_temp=*/true);
            file.write_at("P", 1, 0);
            file.commit();
        }
        QCOMPARE(read_all(path), std::string("Pixels"));
        QVERIFY(!fs::exists(temp));
        const QString message = error_of([&] { AtomicFile again(path, temp, true); });
        QVERIFY2(message.startsWith(QString::fromStdString(path + ": cannot open the partly written file " + temp)),
                 qPrintable(message));
    }

    // The name is taken by a folder: the rename fails, the folder stays as it
    // was and the temporary file goes.
    void a_failed_rename_keeps_what_was_there() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("taken").toStdString();
        fs::create_directory(path);
        write_plain(path + "/inside", "kept");
        const QString message = error_of([&] { write_file_atomically(path, "bytes"); });
        QVERIFY2(message.startsWith(QString::fromStdString(path + ": cannot move the file into place (")),
                 qPrintable(message));
        QCOMPARE(read_all(path + "/inside"), std::string("kept"));
        QVERIFY(!fs::exists(path + ".partial"));
    }

    // A full disk (here a file-size limit: write() fails with EFBIG as it would
    // with ENOSPC) stops the write; the old file stays whole.
    void a_full_disk_keeps_the_old_file() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("big.bin").toStdString();
        write_plain(path, "old");
        constexpr rlim_t kLimit = 64u << 10;
        rlimit saved{};
        QCOMPARE(getrlimit(RLIMIT_FSIZE, &saved), 0);
        const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit lowered = saved;
        lowered.rlim_cur = kLimit;
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &lowered), 0);
        const QString message = error_of([&] { write_file_atomically(path, std::string(kLimit * 2, 'x')); });
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &saved), 0);
        std::signal(SIGXFSZ, old_handler);
        QCOMPARE(message, QString::fromStdString(path + ": cannot write the file (" + std::strerror(EFBIG) + ")"));
        QCOMPARE(read_all(path), std::string("old"));
        QVERIFY(!fs::exists(path + ".partial"));
    }
};

QTEST_APPLESS_MAIN(TestAtomicFile)
#include "test_atomic_file.moc"
