// SPDX-License-Identifier: GPL-3.0-or-later
#include <QtTest/QtTest>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <thread>

#include <sys/resource.h>
#include <unistd.h>

#include <torch/torch.h>

#include "checkpoint/checkpoint_file.h"
#include "checkpoint/checkpoint_store.h"
#include "common/error.h"
#include "run/run_lock.h"
#include "train/device.h"
#include "core/engine_fixture.h"

using namespace latentlab;
using namespace latentlab::testing;

class TestEngine : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void discriminator_learns_first() {
        QTemporaryDir dir;
        TrainConfig c = tiny_config(dir.path().toStdString());
        // The lecture's step: D(G(z)) before and after D's update are judged on the same
        // images only without instance noise or augmentation.
        c.use_recipe("dcgan");
        Engine engine(c, tiny_faces(160));
        Recorder rec;
        engine.add_observer(&rec);
        const TrainingEnd end = engine.run();
        QCOMPARE(int(end.reason), int(EndReason::Finished));
        const auto m = rec.metrics();
        QCOMPARE(m.size(), std::size_t{10});
        // At the start D cannot tell real from fake: both outputs near 0.5.
        QVERIFY2(std::abs(m.front().d_x - 0.5) < 0.2, qPrintable(QString::number(m.front().d_x)));
        QVERIFY2(std::abs(m.front().d_g_z1 - 0.5) < 0.2, qPrintable(QString::number(m.front().d_g_z1)));
        // Every D update pushes the fakes towards "fake": D(G(z)) after it is lower than before.
        for (const auto& it : m) {
            QVERIFY2(it.d_g_z2 < it.d_g_z1, qPrintable(QString("iteration %1: %2 -> %3").arg(it.iteration).arg(it.d_g_z1).arg(it.d_g_z2)));
            QVERIFY(it.finite);
            QVERIFY(it.loss_d > 0 && it.loss_g > 0);
        }
        // A few updates later D says "real" to real faces far more often.
        double d_x = 0, accuracy_real = 0;
        for (std::size_t i = m.size() - 4; i < m.size(); ++i) {
            d_x += m[i].d_x / 4;
            accuracy_real += m[i].accuracy_real / 4;
        }
        QVERIFY2(d_x > m.front().d_x + 0.08, qPrintable(QString("D(x) %1 -> %2").arg(m.front().d_x).arg(d_x)));
        QVERIFY(d_x > 0.55);
        QVERIFY2(accuracy_real > m.front().accuracy_real + 0.2, qPrintable(QString::number(accuracy_real)));
        // An epoch end writes a sample grid and a checkpoint.
        QCOMPARE(rec.epochs.load(), 1);
        QCOMPARE(rec.checkpoints.load(), 1);
        QVERIFY(std::filesystem::exists(CheckpointStore::latest_in(c.run_dir)));
    }

    // bf16: the convolutions run in bfloat16 under autocast, everything kept
    // stays float32. The first iteration starts from the same weights, data
    // and noise as the float32 run, so its values differ by rounding only.
    // CUDA graphs asked for on the CPU: the run trains eagerly, as without
    // them, and says why once.
    void cuda_graphs_on_the_cpu_train_eagerly_with_one_notice() {
        QTemporaryDir plain_dir, graphs_dir;
        TrainConfig c = tiny_config(plain_dir.path().toStdString(), 1);
        c.pairs = 2;
        const auto data = tiny_faces(64);
        Engine plain(c, data);
        QCOMPARE(int(plain.run().reason), int(EndReason::Finished));
        c.run_dir = graphs_dir.path().toStdString();
        c.cuda_graphs = true;
        Engine graphs(c, data);
        Recorder rec;
        graphs.add_observer(&rec);
        QCOMPARE(int(graphs.run().reason), int(EndReason::Finished));
        QCOMPARE(rec.notices().size(), std::size_t(1));
        QVERIFY2(QString::fromStdString(rec.notices().front()).contains("CUDA graphs need a CUDA device"),
                 rec.notices().front().c_str());
        QVERIFY(!graphs.pair(0).graphed());
        const auto a = plain.generator()->parameters(), b = graphs.generator()->parameters();
        for (std::size_t i = 0; i < a.size(); ++i) QVERIFY(torch::equal(a[i], b[i]));
    }

    void bf16_precision_rounds_the_convolutions_only() {
        const auto data = tiny_faces(64);
        std::vector<IterationMetrics> runs[2];
        for (const bool bf16 : {false, true}) {
            QTemporaryDir dir;
            TrainConfig c = tiny_config(dir.path().toStdString());
            c.precision = bf16 ? "bf16" : "fp32";
            Engine engine(c, data);
            Recorder rec;
            engine.add_observer(&rec);
            QCOMPARE(int(engine.run().reason), int(EndReason::Finished));
            runs[bf16] = rec.metrics();
            for (const auto& p : engine.generator()->parameters()) QCOMPARE(p.scalar_type(), at::kFloat);
            for (const auto& p : engine.discriminator()->parameters()) QCOMPARE(p.scalar_type(), at::kFloat);
            QCOMPARE(CheckpointReader(CheckpointStore::latest_in(c.run_dir)).meta().at("config").at("precision")
                         .get<std::string>(), c.precision);
        }
        const IterationMetrics &fp32 = runs[0].front(), &bf16 = runs[1].front();
        QVERIFY2(bf16.loss_d != fp32.loss_d, "bf16 changed nothing");
        QVERIFY2(std::abs(bf16.loss_d - fp32.loss_d) < 0.05 * fp32.loss_d,
                 qPrintable(QString("Loss_D %1 against %2").arg(bf16.loss_d).arg(fp32.loss_d)));
        QVERIFY2(std::abs(bf16.d_x - fp32.d_x) < 0.02, qPrintable(QString("D(x) %1 against %2").arg(bf16.d_x).arg(fp32.d_x)));
        for (const auto& m : runs[1]) QVERIFY(m.finite);
    }

    // "auto" is resolved when the engine starts: bf16 on a CPU with bfloat16
    // units, else fp32, and the checkpoint says which ran.
    void auto_precision_is_resolved_and_saved() {
        QTemporaryDir dir;
        TrainConfig c = tiny_config(dir.path().toStdString());
        c.precision = "auto";
        Engine engine(c, tiny_faces(32));
        QCOMPARE(engine.config().precision, std::string(cpu_has_bf16_units() ? "bf16" : "fp32"));
        QCOMPARE(int(engine.run().reason), int(EndReason::Finished));
        QCOMPARE(CheckpointReader(CheckpointStore::latest_in(c.run_dir)).meta().at("config").at("precision")
                     .get<std::string>(), engine.config().precision);
        QVERIFY(uses_bf16("bf16", c10::Device(c10::kCUDA, 0)));
        QVERIFY(!uses_bf16("auto", c10::Device(c10::kCUDA, 0)));  // until a GPU has measured it
        QVERIFY(!uses_bf16("fp32", c10::Device(c10::kCPU)));
    }

    void pause_step_resume_stop() {
        QTemporaryDir dir;
        TrainConfig c = tiny_config(dir.path().toStdString(), 50);
        Engine engine(c, tiny_faces(64));
        Recorder rec;
        engine.add_observer(&rec);
        engine.control().pause();
        TrainingEnd end;
        std::thread runner([&] { end = engine.run(); });

        // waiting(): the engine is blocked between iterations, so what the
        // counter says then is final until the next command.
        QTRY_VERIFY(engine.control().waiting());
        QCOMPARE(rec.iterations.load(), std::int64_t{0});  // paused before the first iteration
        engine.control().step();
        QTRY_COMPARE(rec.iterations.load(), std::int64_t{1});
        QTRY_VERIFY(engine.control().waiting());
        QCOMPARE(rec.iterations.load(), std::int64_t{1});  // exactly one
        QVERIFY(engine.control().paused());
        engine.control().step(3);
        QTRY_COMPARE(rec.iterations.load(), std::int64_t{4});
        QTRY_VERIFY(engine.control().waiting());
        QCOMPARE(rec.iterations.load(), std::int64_t{4});

        engine.control().set_learning_rate(5e-4);
        engine.control().set_beta1(0.6);
        engine.control().resume();
        QTRY_VERIFY(rec.iterations.load() > 10);
        engine.control().stop();
        runner.join();
        QCOMPARE(int(end.reason), int(EndReason::Stopped));
        // The stop left a checkpoint at the exact position, with the changed hyperparameters.
        CheckpointReader reader(CheckpointStore::latest_in(c.run_dir));
        QCOMPARE(reader.meta().at("iteration").get<std::int64_t>(), rec.iterations.load());
        QCOMPARE(reader.meta().at("lr").get<double>(), 5e-4);
        QCOMPARE(reader.meta().at("beta1").get<double>(), 0.6);
        QCOMPARE(end.last_checkpoint.empty(), false);
    }

    void a_non_finite_loss_never_replaces_the_healthy_checkpoint_data() {
        QTest::addColumn<bool>("pause_on_nonfinite");
        QTest::newRow("stop (CLI)") << false;
        QTest::newRow("pause (GUI)") << true;
    }
    void a_non_finite_loss_never_replaces_the_healthy_checkpoint() {
        QFETCH(bool, pause_on_nonfinite);
        QTemporaryDir dir;
        TrainConfig c = tiny_config(dir.path().toStdString(), 50);
        c.pause_on_nonfinite = pause_on_nonfinite;
        Engine engine(c, tiny_faces(64));  // 4 iterations per epoch
        Recorder rec;
        engine.add_observer(&rec);
        TrainingEnd end;
        std::thread runner([&] { end = engine.run(); });
        QTRY_VERIFY(rec.checkpoints.load() >= 1);  // a healthy epoch checkpoint exists
        const std::string latest = CheckpointStore::latest_in(c.run_dir);
        const std::int64_t healthy_iteration = CheckpointReader(latest).meta().at("iteration").get<std::int64_t>();
        // A learning rate of NaN turns every weight into NaN at the next update.
        engine.control().set_learning_rate(std::numeric_limits<double>::quiet_NaN());
        if (pause_on_nonfinite) {
            QTRY_VERIFY_WITH_TIMEOUT(engine.control().paused(), 20000);
            const auto m = rec.metrics();
            QVERIFY(!m.back().finite);
            engine.control().stop();
        }
        runner.join();
        QCOMPARE(int(end.reason), int(pause_on_nonfinite ? EndReason::Stopped : EndReason::NonFinite));
        QVERIFY(QString::fromStdString(end.last_checkpoint).contains("unhealthy-"));
        QVERIFY(std::filesystem::exists(end.last_checkpoint));
        CheckpointReader still(latest);
        QVERIFY(still.meta().at("healthy").get<bool>());
        QVERIFY(still.meta().at("iteration").get<std::int64_t>() >= healthy_iteration);
        QVERIFY(still.meta().at("iteration").get<std::int64_t>() < rec.iterations.load());
        QCOMPARE(CheckpointReader(end.last_checkpoint).meta().at("healthy").get<bool>(), false);
    }

    void settings_that_do_not_fit_are_refused() {
        QTemporaryDir dir;
        TrainConfig c = tiny_config(dir.path().toStdString());
        c.batch_size = 64;
        QVERIFY_THROWS_EXCEPTION(Error, Engine(c, tiny_faces(32)));  // fewer images than a batch
        c = tiny_config(dir.path().toStdString());
        c.device = "cuda:7";
        QVERIFY_THROWS_EXCEPTION(Error, Engine(c, tiny_faces(32)));
        c = tiny_config(dir.path().toStdString());
        c.model.image_size = 64;  // data decoded at 32
        QVERIFY_THROWS_EXCEPTION(Error, Engine(c, tiny_faces(32)));
    }

    void resume_refuses_other_data_or_models() {
        QTemporaryDir dir;
        TrainConfig c = tiny_config(dir.path().toStdString());
        {
            Engine engine(c, tiny_faces(32));
            QCOMPARE(int(engine.run().reason), int(EndReason::Finished));
        }
        const std::string latest = CheckpointStore::latest_in(c.run_dir);
        {
            Engine other_data(c, tiny_faces(32, 99));
            try {
                other_data.resume_from(latest);
                QFAIL("resumed on other data");
            } catch (const Error& e) {
                QVERIFY2(QString(e.what()).contains("other data"), e.what());
            }
        }
        TrainConfig wider = c;
        wider.model.ngf = 16;
        Engine other_model(wider, tiny_faces(32));
        QVERIFY_THROWS_EXCEPTION(Error, other_model.resume_from(latest));
    }

    void an_engine_keeps_its_run_folder_to_itself() {
        QTemporaryDir dir;
        const TrainConfig c = tiny_config(dir.path().toStdString());
        const auto data = tiny_faces(64);
        const auto partial = std::filesystem::path(c.run_dir) / "checkpoints" / "ckpt-e0001-i000000004.llck.partial";
        const std::string busy =
            c.run_dir + ": another LatentLab process is training in this folder (pid " + std::to_string(::getpid()) + ")";
        {
            Engine first(c, data);
            std::ofstream(partial) << "a checkpoint the first engine is writing";
            try {
                Engine second(c, data);
                QFAIL("a second engine took the same run folder");
            } catch (const Error& e) {
                QCOMPARE(std::string(e.what()), busy);
            }
            QVERIFY(std::filesystem::exists(partial));  // the second engine cleared nothing
            QVERIFY_THROWS_EXCEPTION(Error, RunLock(c.run_dir));
        }
        QVERIFY(RunLock(c.run_dir).held());  // released with the engine

        // The caller's lock, taken before it looked at the folder, is kept by the engine.
        RunLock mine(c.run_dir);
        Engine engine(c, data, std::move(mine));
        QVERIFY(!mine.held());
        QVERIFY_THROWS_EXCEPTION(Error, RunLock(c.run_dir));
        QCOMPARE(int(engine.run().reason), int(EndReason::Finished));
        QTemporaryDir other;
        QVERIFY_THROWS_EXCEPTION(Error, Engine(c, data, RunLock(other.path().toStdString())));
    }

    void a_full_disk_stops_the_run_and_keeps_the_last_checkpoint() {
        QTemporaryDir dir;
        const TrainConfig c = tiny_config(dir.path().toStdString(), 3);
        Engine engine(c, tiny_faces(64));  // 4 iterations per epoch
        // At the second epoch's end, just before its checkpoint, the file-size
        // limit drops below a checkpoint's size: write() fails with EFBIG as it
        // would with ENOSPC on a full disk (SIGXFSZ is ignored).
        struct DiskFills : TrainingObserver {
            rlimit saved{};
            bool lowered = false;
            void on_epoch_end(const EpochSummary& s) override {
                if (s.epoch != 1) return;
                rlimit limit = saved;
                limit.rlim_cur = 16u << 10;
                lowered = setrlimit(RLIMIT_FSIZE, &limit) == 0;
            }
        } disk;
        QCOMPARE(getrlimit(RLIMIT_FSIZE, &disk.saved), 0);
        const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
        engine.add_observer(&disk);
        const TrainingEnd end = engine.run();
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &disk.saved), 0);
        std::signal(SIGXFSZ, old_handler);
        QVERIFY(disk.lowered);

        const std::string checkpoints = c.run_dir + "/checkpoints/";
        const std::string failed = checkpoints + "ckpt-e0002-i000000008.llck", kept = checkpoints + "ckpt-e0001-i000000004.llck";
        QCOMPARE(int(end.reason), int(EndReason::Failed));
        QCOMPARE(end.epoch, std::int64_t{2});  // the run stopped there, not at epoch 3
        const QString message = QString::fromStdString(end.message);
        QVERIFY2(message.startsWith(QString::fromStdString(failed + ": ")), qPrintable(message));
        QVERIFY2(message.contains(QString::fromUtf8(std::strerror(EFBIG))), qPrintable(message));
        QVERIFY2(message.contains(QString::fromStdString(kept + ", is intact")), qPrintable(message));
        QCOMPARE(end.last_checkpoint, kept);
        QVERIFY(!std::filesystem::exists(failed));
        QVERIFY(!std::filesystem::exists(failed + ".partial"));
        const CheckpointReader latest(CheckpointStore::latest_in(c.run_dir));
        QCOMPARE(latest.meta().at("epoch").get<std::int64_t>(), std::int64_t{1});
        QCOMPARE(latest.meta().at("iteration").get<std::int64_t>(), std::int64_t{4});
    }
};

QTEST_APPLESS_MAIN(TestEngine)
#include "test_engine.moc"
