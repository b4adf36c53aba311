// SPDX-License-Identifier: GPL-3.0-or-later
#include <QtTest/QtTest>

#include <filesystem>
#include <optional>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

#include "common/error.h"
#include "run/run_lock.h"

using namespace latentlab;
namespace fs = std::filesystem;

namespace {

// The message RunLock(dir) throws, or an empty string when it took the lock.
QString lock_error(const std::string& dir) {
    try {
        RunLock lock(dir);
        if (!lock.held()) return "constructed without holding the lock";
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

QString busy_message(const std::string& dir, long pid) {
    return QString::fromStdString(dir + ": another LatentLab process is training in this folder (pid " +
                                  std::to_string(pid) + ")");
}

} // namespace

class TestRunLock : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void a_second_lock_on_a_folder_fails_until_the_first_is_released() {
        QTemporaryDir tmp;
        const std::string dir = tmp.filePath("run").toStdString();  // not there yet: the lock creates it
        RunLock first(dir);
        QVERIFY(first.held());
        QVERIFY(fs::is_directory(dir));
        QVERIFY(fs::exists(RunLock::lock_path(dir)));
        // flock() locks belong to an open file description: a second one conflicts in this process too.
        QCOMPARE(lock_error(dir), busy_message(dir, ::getpid()));
        QCOMPARE(lock_error(dir), busy_message(dir, ::getpid()));  // a failed attempt changes nothing
        first.release();
        QVERIFY(!first.held());
        QCOMPARE(lock_error(dir), QString());
    }

    void destruction_and_moves_hand_the_lock_on() {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        {
            RunLock a(dir);
            RunLock b(std::move(a));
            QVERIFY(!a.held());
            QVERIFY(b.held());
            QCOMPARE(b.dir(), dir);
            QVERIFY(!lock_error(dir).isEmpty());
            RunLock c;
            c = std::move(b);
            QVERIFY(c.held());
            QVERIFY(!lock_error(dir).isEmpty());
        }
        QCOMPARE(lock_error(dir), QString());
        // Another folder is not affected.
        RunLock here(dir);
        QCOMPARE(lock_error(tmp.filePath("other").toStdString()), QString());
    }

    void another_process_holds_it_until_it_ends_however_it_ends() {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        int ready[2], go[2];  // child -> parent: the lock is taken; parent -> child: end now
        QCOMPARE(::pipe(ready), 0);
        QCOMPARE(::pipe(go), 0);
        const pid_t child = ::fork();
        if (child == 0) {
            ::close(ready[0]);
            ::close(go[1]);
            std::optional<RunLock> lock;
            char taken = 0;
            try {
                lock.emplace(dir);
                taken = 1;
            } catch (...) {
            }
            if (::write(ready[1], &taken, 1) != 1) _exit(2);
            char byte;
            while (::read(go[0], &byte, 1) > 0) {
            }
            _exit(0);  // no destructors: only the kernel lets go of the lock
        }
        ::close(ready[1]);
        ::close(go[0]);
        char taken = 0;
        QCOMPARE(::read(ready[0], &taken, 1), ssize_t{1});
        ::close(ready[0]);
        QCOMPARE(int(taken), 1);
        QCOMPARE(lock_error(dir), busy_message(dir, child));
        ::close(go[1]);
        int status = 0;
        QCOMPARE(::waitpid(child, &status, 0), child);
        QVERIFY(WIFEXITED(status));
        QCOMPARE(WEXITSTATUS(status), 0);
        QCOMPARE(lock_error(dir), QString());
    }
};

QTEST_APPLESS_MAIN(TestRunLock)
#include "test_run_lock.moc"
