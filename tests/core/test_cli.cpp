// SPDX-License-Identifier: GPL-3.0-or-later
// End to end through the real latentlab-cli binary: train one epoch of
// synthetic faces at 32x32 on the CPU, then sample, interpolate, arithmetic
// and info on its checkpoint; project an image and name its latent; resume;
// bad input and wrong flags.
#include <QtTest/QtTest>

#include <filesystem>

#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>

namespace {

struct Result {
    int code = -1;
    QString out, err;
};

Result cli(const QStringList& args, int timeout_ms = 300000) {
    QProcess p;
    p.start(QStringLiteral(LATENTLAB_CLI_PATH), args);
    if (!p.waitForFinished(timeout_ms)) {
        p.kill();
        p.waitForFinished();
        return {-2, {}, QStringLiteral("timed out")};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

QSize png_size(const QString& path) {
    QImage img(path);
    return img.isNull() ? QSize() : img.size();
}

int line_count(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return -1;
    return int(f.readAll().count('\n'));
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString run_, ckpt_;
    Result trained_;

private Q_SLOTS:
    // The one run the other slots read (and never change): each slot works
    // on its own files, so none depends on another's order or output.
    void initTestCase() {
        QVERIFY(dir_.isValid());
        run_ = dir_.filePath("run");
        ckpt_ = run_ + "/checkpoints/latest.llck";
        trained_ = cli({"train", "--data", "synthetic:512", "--out", run_, "--image-size", "32", "--epochs", "1",
                        "--device", "cpu", "--seed", "3"});
        QVERIFY2(trained_.code == 0, qPrintable(trained_.err + trained_.out));
    }

    void version_names_the_commit_and_libtorch() {
        const Result r = cli({"--version"});
        QCOMPARE(r.code, 0);
        QVERIFY2(QRegularExpression("^latentlab-cli [0-9]+\\.[0-9]+\\.[0-9]+ \\(commit ([0-9a-f]{12}|unknown), LibTorch [0-9.]+, CUDA support installed\\)$").match(r.out).hasMatch(),
                 qPrintable(r.out));
    }

    void train_one_epoch_of_synthetic_faces() {
        QVERIFY(trained_.out.contains("[1/1][8/8]"));  // 512 faces, batch 64
        QVERIFY(QFile::exists(ckpt_));
        QVERIFY(QFile::exists(run_ + "/config.json"));
        QCOMPARE(line_count(run_ + "/metrics.jsonl"), 1);  // log-every 10: only the epoch's last iteration
        QCOMPARE(line_count(run_ + "/metrics.csv"), 2);     // header + that line
        QCOMPARE(png_size(run_ + "/samples/epoch_001.png"), QSize(8 * 32 + 9 * 2, 8 * 32 + 9 * 2));
    }

    // Lazy R1 and CUDA graphs reach the run's config; graphs asked for on the
    // CPU are refused with a note and the run trains on.
    void recipe_and_graph_flags_reach_the_config() {
        const QString run = dir_.filePath("flags");
        const Result r = cli({"train", "--data", "synthetic:128", "--out", run, "--image-size", "32", "--epochs", "1",
                              "--ngf", "8", "--ndf", "8", "--device", "cpu", "--r1-every", "3", "--cuda-graphs", "on"});
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        QVERIFY2(r.out.contains("note: CUDA graphs need a CUDA device"), qPrintable(r.out));
        QFile f(run + "/config.json");
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject config = QJsonDocument::fromJson(f.readAll()).object();
        QCOMPARE(config.value("r1_every").toInt(), 3);
        QCOMPARE(config.value("cuda_graphs").toBool(false), true);
    }

    void sample_writes_the_grid() {
        const QString out = dir_.filePath("grid.png");
        const Result r = cli({"sample", "--checkpoint", ckpt_, "--out", out, "--count", "16", "--seed", "4"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(png_size(out), QSize(4 * 32 + 5 * 2, 4 * 32 + 5 * 2));
        // The same seed gives the same pixels; another seed other pixels.
        const QString again = dir_.filePath("grid2.png"), other = dir_.filePath("grid3.png");
        QCOMPARE(cli({"sample", "--checkpoint", ckpt_, "--out", again, "--count", "16", "--seed", "4"}).code, 0);
        QCOMPARE(cli({"sample", "--checkpoint", ckpt_, "--out", other, "--count", "16", "--seed", "5"}).code, 0);
        QCOMPARE(QImage(out), QImage(again));
        QVERIFY(QImage(out) != QImage(other));
    }

    void interpolate_writes_a_strip_of_frames() {
        const QString out = dir_.filePath("strip.png");
        const Result r = cli({"interpolate", "--checkpoint", ckpt_, "--out", out, "--from", "4:0", "--to", "4:5",
                              "--steps", "6"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(png_size(out), QSize(6 * 32, 32));
        // The first frame is image 0 of `sample --seed 4`: the same latent, the same pixels.
        const QImage strip(out), grid(dir_.filePath("grid.png"));
        QCOMPARE(strip.copy(0, 0, 32, 32), grid.copy(2, 2, 32, 32));
    }

    void arithmetic_writes_the_demo_sheet() {
        const QString out = dir_.filePath("sum.png");
        const Result r = cli({"arithmetic", "--checkpoint", ckpt_, "--out", out, "--a", "4:0,4:1,4:2", "--b",
                              "4:3,4:4,4:5", "--c", "4:6,4:7,4:8"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(png_size(out), QSize(7 * 32 + 8 * 2, 4 * 32 + 5 * 2));
        // The first pick of A is image 0 of the seed-4 grid.
        QCOMPARE(QImage(out).copy(2, 2, 32, 32), QImage(dir_.filePath("grid.png")).copy(2, 2, 32, 32));
    }

    void project_writes_latents_that_references_can_name() {
        if (!LATENTLAB_CLI_READS_FOLDERS) QSKIP("this latentlab-cli reads no image files: it was built without OpenCV");
        // Image 0 of `sample --seed 4` as a file of its own.
        const QString grid = dir_.filePath("project-grid.png");
        QCOMPARE(cli({"sample", "--checkpoint", ckpt_, "--out", grid, "--count", "16", "--seed", "4"}).code, 0);
        const QString face = dir_.filePath("face.png"), latents = dir_.filePath("projected.json");
        QVERIFY(QImage(grid).copy(2, 2, 32, 32).save(face));
        const Result r = cli({"project", "--checkpoint", ckpt_, "--images", face, "--out", latents, "--steps", "40",
                              "--restarts", "4", "--seed", "2"});
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        QVERIFY(QFile::exists(latents));
        QCOMPARE(png_size(dir_.filePath("projected-sheet.png")), QSize(2 * 32 + 3 * 2, 32 + 2 * 2));  // original | reconstruction
        const QRegularExpressionMatch m =
            QRegularExpression("mean MSE ([0-9.]+) \\(start ([0-9.]+)\\)").match(r.out);
        QVERIFY2(m.hasMatch(), qPrintable(r.out));
        QVERIFY2(m.captured(1).toDouble() < m.captured(2).toDouble(), qPrintable(r.out));

        const QString strip = dir_.filePath("projected-strip.png");
        const Result ok = cli({"interpolate", "--checkpoint", ckpt_, "--out", strip, "--from", latents + "#0", "--to", "4:1",
                               "--steps", "3"});
        QVERIFY2(ok.code == 0, qPrintable(ok.err));
        QCOMPARE(png_size(strip), QSize(3 * 32, 32));
        const Result bad = cli({"arithmetic", "--checkpoint", ckpt_, "--out", strip, "--a", latents + "#1", "--b", "4:0",
                                "--c", "4:2"});
        QCOMPARE(bad.code, 1);
        QVERIFY2(bad.err.contains(latents + "#1") && bad.err.contains("out of range"), qPrintable(bad.err));
    }

    void probe_pick_and_edit_from_the_command_line() {
        const QString probe = dir_.filePath("faces.llprobe");
        Result r = cli({"probe", "--data", "synthetic:256", "--image-size", "32", "--steps", "30", "--out", probe});
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        QVERIFY2(r.out.contains("held-out accuracy on 25 images") && r.out.contains("Smiling"), qPrintable(r.out));
        QVERIFY(QFile::exists(probe));

        r = cli({"pick", "--checkpoint", ckpt_, "--probe", probe, "--want", "Smiling,-Male", "--count", "3",
                 "--batches", "2", "--seed", "9"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QString refs = r.out.trimmed();
        QVERIFY2(QRegularExpression("^(9|10):[0-9]+(,(9|10):[0-9]+){2}$").match(refs).hasMatch(), qPrintable(refs));
        const QString sheet = dir_.filePath("picked.png"), result = dir_.filePath("picked.npy");
        r = cli({"arithmetic", "--checkpoint", ckpt_, "--out", sheet, "--a", refs, "--b", "4:0", "--c", "4:1",
                 "--result", result});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(QFileInfo(result).size() > 32 * 32 * 3);

        r = cli({"pick", "--checkpoint", ckpt_, "--probe", probe, "--want", "Frowning"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("'Frowning'") && r.err.contains("Smiling"), qPrintable(r.err));

        // edit's strip on a generator that draws the attribute is core's
        // (test_attribute_probe); a one-epoch generator draws too few kinds of
        // face for a direction, so here: its refusals.
        r = cli({"edit", "--checkpoint", ckpt_, "--probe", probe, "--from", "4:0", "--attribute", "Frowning",
                 "--out", dir_.filePath("x.png")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("'Frowning'"), qPrintable(r.err));
        r = cli({"edit", "--checkpoint", ckpt_, "--probe", probe, "--from", "4:0", "--attribute", "Smiling",
                 "--amounts", "1,x", "--out", dir_.filePath("x.png")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--amounts: 'x'"), qPrintable(r.err));
    }

    void info_describes_the_checkpoint() {
        const Result r = cli({"info", ckpt_});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out.contains("iteration 8"));
        QVERIFY(r.out.contains("DCGAN 32x32"));
        QVERIFY(r.out.contains("synthetic:512"));
    }

    void resume_continues_and_an_existing_run_is_not_overwritten() {
        const QString run = dir_.filePath("resumed");  // a copy: the shared run stays as trained
        std::error_code ec;
        std::filesystem::copy(run_.toStdString(), run.toStdString(), std::filesystem::copy_options::recursive, ec);
        QVERIFY2(!ec, ec.message().c_str());
        Result r = cli({"train", "--data", "synthetic:512", "--out", run, "--image-size", "32", "--device", "cpu"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("already holds a run"), qPrintable(r.err));
        r = cli({"train", "--out", run, "--resume", "--epochs", "2", "--device", "cpu"});
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        QVERIFY(r.out.contains("continuing at epoch 2, iteration 8"));
        QVERIFY(cli({"info", run + "/checkpoints/latest.llck"}).out.contains("iteration 16"));
        QVERIFY(QFile::exists(run + "/samples/epoch_002.png"));
        QCOMPARE(line_count(run + "/metrics.jsonl"), 3);  // iterations 8, 10 and 16
    }

    void bad_checkpoints_exit_1_with_one_line_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("reason");
        QTest::newRow("text") << QByteArray("hello\n") << "not a LatentLab checkpoint";
        QTest::newRow("empty") << QByteArray() << "empty";
        QTest::newRow("truncated") << QByteArray("truncate") << "truncated";
    }
    void bad_checkpoints_exit_1_with_one_line() {
        QFETCH(QByteArray, content);
        QFETCH(QString, reason);
        const QString path = dir_.filePath("bad.llck");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        if (content == "truncate") {
            QFile good(ckpt_);
            QVERIFY(good.open(QIODevice::ReadOnly));
            f.write(good.read(good.size() / 3));
        } else {
            f.write(content);
        }
        f.close();
        for (const QStringList& args : {QStringList{"info", path},
                                        QStringList{"sample", "--checkpoint", path, "--out", dir_.filePath("x.png")}}) {
            const Result r = cli(args);
            QCOMPARE(r.code, 1);
            QVERIFY2(r.err.contains(path) && r.err.contains(reason), qPrintable(r.err));
            QCOMPARE(r.err.trimmed().count('\n'), 0);
        }
    }

    void wrong_flags_exit_2_with_usage_data() {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("unknown command") << QStringList{"fly"};
        QTest::newRow("unknown flag") << QStringList{"info", "x", "--colour"};
        QTest::newRow("image size") << QStringList{"train", "--out", "x", "--image-size", "48"};
        QTest::newRow("missing out") << QStringList{"train"};
        QTest::newRow("bad reference") << QStringList{"interpolate", "--checkpoint", "c", "--out", "o", "--from", "1-2", "--to", "1:3"};
        QTest::newRow("bad mode") << QStringList{"interpolate", "--checkpoint", "c", "--out", "o", "--from", "1:2", "--to", "1:3", "--mode", "cubic"};
        QTest::newRow("bad noise") << QStringList{"sample", "--checkpoint", "c", "--out", "o", "--noise", "pink"};
    }
    void wrong_flags_exit_2_with_usage() {
        QFETCH(QStringList, args);
        const Result r = cli(args);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("Usage") || r.err.contains("Options"), qPrintable(r.err));
    }

    // The limits come from core's table of settings: the message is core's, with the range.
    void settings_out_of_range_name_the_range_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("lr 0") << QStringList{"--lr", "0"} << "--lr: learning rate 0 is out of range (above 0, at most 1)";
        QTest::newRow("lr 1.5") << QStringList{"--lr", "1.5"} << "--lr: learning rate 1.5 is out of range (above 0, at most 1)";
        QTest::newRow("beta1 1") << QStringList{"--beta1", "1"} << "--beta1: beta1 1 is out of range (0 .. below 1)";
        QTest::newRow("batch 1.5") << QStringList{"--batch-size", "1.5"}
                                   << "--batch-size: batch size 1.5 is out of range (1 .. 65536, whole numbers)";
        QTest::newRow("real label 0.5") << QStringList{"--real-label", "0.5"}
                                        << "--real-label: real label 0.5 is out of range (above 0.5, at most 1)";
        QTest::newRow("pairs 9") << QStringList{"--pairs", "9"} << "--pairs: pairs 9 is out of range (1 .. 8, whole numbers)";
        QTest::newRow("R1 interval 0") << QStringList{"--r1-every", "0"}
                                       << "--r1-every: R1 interval 0 is out of range (1 .. 1000, whole numbers)";
        QTest::newRow("not a number") << QStringList{"--epochs", "ten"} << "--epochs: epochs 'ten' is not a number";
    }
    void settings_out_of_range_name_the_range() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Result r = cli(QStringList{"train", "--out", dir_.filePath("never")} + args);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(dir_.filePath("never")));
    }

    void bad_files_in_a_folder_are_skipped_and_reported() {
        if (!LATENTLAB_CLI_READS_FOLDERS) QSKIP("this latentlab-cli reads no image folders: it was built without OpenCV");
        const QString data = dir_.filePath("folder");
        QDir().mkpath(data + "/nested/deeper");
        for (int i = 0; i < 20; ++i) {
            QImage img(40, 48, QImage::Format_RGB888);
            img.fill(QColor::fromHsv(i * 17, 200, 200));
            QVERIFY(img.save(QString("%1/%2/face%3.png").arg(data, i % 2 ? "nested/deeper" : "nested").arg(i)));
        }
        QFile(data + "/zero.jpg").open(QIODevice::WriteOnly);
        QFile garbage(data + "/garbage.png");
        QVERIFY(garbage.open(QIODevice::WriteOnly));
        garbage.write(QByteArray(300, 'g'));
        garbage.close();
        const QString run = dir_.filePath("folder-run");
        const Result r = cli({"train", "--data", data, "--out", run, "--image-size", "32", "--epochs", "1",
                              "--batch-size", "8", "--ngf", "8", "--ndf", "8", "--device", "cpu"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains("skipped 2 file(s)"), qPrintable(r.err));
        QFile skipped(run + "/skipped_files.txt");
        QVERIFY(skipped.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(skipped.readAll());
        QVERIFY2(text.contains("zero.jpg") && text.contains("garbage.png"), qPrintable(text));
        QVERIFY(r.out.contains("20 images"));

        const QString empty = dir_.filePath("empty-folder");
        QDir().mkpath(empty);
        QFile(empty + "/zero.png").open(QIODevice::WriteOnly);
        const Result e = cli({"train", "--data", empty, "--out", dir_.filePath("empty-run"), "--device", "cpu"});
        QCOMPARE(e.code, 1);
        QVERIFY2(e.err.contains("no usable image") && e.err.contains(empty), qPrintable(e.err));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
