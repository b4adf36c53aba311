// SPDX-License-Identifier: GPL-3.0-or-later
// The trainer window driven through its real buttons, on a real (tiny)
// training run, under -platform offscreen.
#include <QtTest/QtTest>

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QMenuBar>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMessageBox>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>

#include "checkpoint/checkpoint_file.h"
#include "checkpoint/checkpoint_store.h"
#include "data/data_source.h"
#include "explore/explorer_panel.h"
#include "main_window.h"
#include "train/cross_validation_view.h"
#include "train/live_charts.h"
#include "train/setup_panel.h"
#include "train/data_scanner.h"
#include "train/timeline_view.h"
#include "train/trainer_panel.h"
#include "train/training_controller.h"
#include "widgets/pixel_view.h"
#include "widgets/validated_field.h"

using namespace latentlab;
using namespace latentlab::ui;
using namespace latentlab::trainer;

namespace {

QPushButton* button(const MainWindow& w, const char* name) { return w.trainer()->findChild<QPushButton*>(name); }

// Tiny settings: 32 px, narrow models, 256 synthetic faces, many epochs.
void tiny_settings(MainWindow& w, const QString& run_dir) {
    SetupPanel* s = w.trainer()->setup();
    s->setDataSource("synthetic:256");
    s->findChild<QComboBox*>("imageSize")->setCurrentText("32");
    s->field("epochs")->setText("50");
    s->field("batch_size")->setText("16");
    s->field("ngf")->setText("8");
    s->field("ndf")->setText("8");
    s->field("nz")->setText("16");
    s->setRunFolder(run_dir);
}

std::int64_t seen(const MainWindow& w) { return w.trainer()->iterationsSeen(); }

void settle(int ms = 400) { QTest::qWait(ms); }

int file_lines(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? int(f.readAll().count('\n')) : -1;
}

} // namespace

class TestTrainer : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

private Q_SLOTS:
    // A scan superseded while it runs is cancelled: only the newest result
    // arrives, quickly; a scanner destroyed mid-scan returns at once. The full
    // scan takes several seconds alone (tens beside other tests on 2 cores);
    // a cancelled one returns within a second alone, and the bounds leave
    // room for a loaded machine.
    void superseded_scans_are_cancelled() {
        DecodeOptions big;
        big.size = 64;
        big.channels = 3;
        DecodeOptions small = big;
        small.size = 32;
        std::vector<ScanResult> results;
        QElapsedTimer clock;
        {
            DataScanner scanner;
            connect(&scanner, &DataScanner::scanned, this, [&results](const ScanResult& r) { results.push_back(r); });
            scanner.scan("synthetic:60000", big, 1);  // several seconds of drawing
            QTest::qWait(100);
            clock.start();
            scanner.scan("synthetic:16", small, 1);
            QTRY_COMPARE_WITH_TIMEOUT(results.size(), std::size_t{1}, 5000);
            QVERIFY2(clock.elapsed() < 3000, qPrintable(QString::number(clock.elapsed())));
            QCOMPARE(results.front().spec, QStringLiteral("synthetic:16"));
            QVERIFY(results.front().data && results.front().data->count() == 16);
            scanner.scan("synthetic:60000", big, 2);
            QTest::qWait(100);
            clock.restart();
        }  // destroyed mid-scan
        QVERIFY2(clock.elapsed() < 3000, qPrintable(QString::number(clock.elapsed())));
        QTest::qWait(50);
        QCOMPARE(results.size(), std::size_t{1});
    }

    // Stop pressed (or the window closed) before the engine exists is obeyed
    // the moment it does: a 1000-epoch run ends within 2 s, near its start.
    void stop_pressed_while_a_run_starts_is_obeyed() {
        QTemporaryDir dir;
        TrainConfig config;
        config.data = "synthetic:256";
        config.model.image_size = 32;
        config.model.ngf = 8;
        config.model.ndf = 8;
        config.model.nz = 16;
        config.epochs = 1000;
        config.batch_size = 16;
        config.device = "cpu";
        config.run_dir = dir.filePath("run").toStdString();
        DecodeOptions decode;
        decode.size = 32;
        decode.channels = 3;
        auto data = std::make_shared<const DecodedImages>(load_data(parse_data_spec(config.data), decode, config.seed));
        TrainingController controller;
        std::optional<TrainingEnd> end;
        connect(&controller, &TrainingController::finished, this, [&end](const TrainingEnd& e) { end = e; });
        QElapsedTimer clock;
        clock.start();
        controller.start(config, data);
        controller.stop();
        QCOMPARE(controller.state(), TrainingController::State::Stopping);
        QVERIFY2(controller.wait(2000), "the run did not stop within 2 s");
        QVERIFY(clock.elapsed() < 2000);
        QTRY_VERIFY(end.has_value());
        QCOMPARE(end->reason, EndReason::Stopped);
        QVERIFY2(end->iteration <= 1, qPrintable(QString::number(end->iteration)));
    }

    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("LatentLabTests");
        QVERIFY(dir_.isValid());
    }

    void invalid_settings_are_refused_with_a_message() {
        MainWindow w;
        w.show();
        tiny_settings(w, dir_.filePath("refused"));
        SetupPanel* s = w.trainer()->setup();
        s->field("batch_size")->setText("0");
        QVERIFY(!s->field("batch_size")->isValid());
        QTRY_VERIFY(s->scannedData() != nullptr);
        QTest::mouseClick(button(w, "trainButton"), Qt::LeftButton);
        QVERIFY(!w.trainer()->controller()->busy());
        QVERIFY2(w.trainer()->message()->text().contains("batch_size"), qPrintable(w.trainer()->message()->text()));
        s->field("batch_size")->setText("16");
        s->field("lr")->setText("fast");
        QCOMPARE(s->field("lr")->error(), QString("not a number"));
        QTest::mouseClick(button(w, "trainButton"), Qt::LeftButton);
        QVERIFY(!w.trainer()->controller()->busy());
        QVERIFY(w.trainer()->message()->text().contains("lr"));
        // A data source with no images is refused too.
        s->setDataSource(dir_.filePath("no-such-folder"));
        QTRY_VERIFY(s->findChild<QLabel*>("scanStatus")->text().contains("no such file or folder"));
        s->field("lr")->setText("0.0002");
        QTest::mouseClick(button(w, "trainButton"), Qt::LeftButton);
        QVERIFY(!w.trainer()->controller()->busy());
        QVERIFY(!QFile::exists(dir_.filePath("refused/config.json")));
    }

    void settings_are_remembered() {
        {
            MainWindow w;
            tiny_settings(w, dir_.filePath("remembered"));
            w.trainer()->setup()->field("lr")->setText("0.0003");
            w.trainer()->setup()->saveSettings();  // Train saves them too
        }
        MainWindow again;
        SetupPanel* s = again.trainer()->setup();
        s->loadSettings();
        QCOMPARE(s->field("lr")->text(), QString("0.0003"));
        QCOMPARE(s->field("batch_size")->text(), QString("16"));
        QCOMPARE(s->field("ngf")->text(), QString("8"));
        QCOMPARE(s->findChild<QComboBox*>("imageSize")->currentText(), QString("32"));
        QCOMPARE(s->findChild<QSpinBox*>("syntheticCount")->value(), 256);
    }

    // An opened run shows every setting, and config() gives back exactly that
    // run's settings, the ones without a field (workers, crops, ...) included.
    void set_config_shows_every_setting_and_config_gives_it_back() {
        MainWindow w;
        SetupPanel* s = w.trainer()->setup();
        TrainConfig c;
        c.use_recipe("dcgan");
        c.data = "synthetic:300";
        c.run_dir = dir_.filePath("opened").toStdString();
        c.model.image_size = 64;
        c.channels_auto = false;
        c.model.channels = 1;
        c.model.nz = 17;
        c.model.ngf = 12;
        c.model.ndf = 10;
        c.epochs = 7;
        c.batch_size = 24;
        c.lr = 0.000123456789;
        c.beta1 = 0.37;
        c.seed = 99;
        c.flip = true;
        c.tensorboard = false;
        c.device = "cpu";
        c.workers = 3;
        c.log_every = 7;
        c.random_crop = true;
        c.pairs = 2;
        c.recipe.real_label = 0.85;
        c.recipe.augment = "translation,cutout";
        c.recipe.augment_target = 0.85;
        c.recipe.r1_gamma = 2.5;
        c.recipe.r1_every = 3;
        c.precision = "bf16";
        s->setConfig(c);
        QCOMPARE(s->findChild<QComboBox*>("precision")->currentData().toString(), QString("bf16"));
        QCOMPARE(s->findChild<QComboBox*>("channels")->currentText(), QString("1"));
        QVERIFY(s->findChild<QCheckBox*>("flip")->isChecked());
        QTRY_VERIFY(s->scannedData() != nullptr);
        QString error;
        const auto back = s->config(&error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(QString::fromStdString(to_json(*back).dump()), QString::fromStdString(to_json(c).dump()));
    }

    // Images from files are decoded into the user's cache folder and mapped,
    // not held; the window keeps only the newest few cache files.
    void file_data_is_scanned_into_a_mapped_cache() {
        QByteArray idx;
        for (const quint32 v : {0x00000803u, 40u, 28u, 28u})
            for (int shift = 24; shift >= 0; shift -= 8) idx.append(char((v >> shift) & 0xff));
        for (int i = 0; i < 40 * 28 * 28; ++i) idx.append(char(i * 13 & 0xff));
        const QString path = dir_.filePath("digits-idx3-ubyte");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(idx);
        f.close();
        MainWindow w;
        SetupPanel* s = w.trainer()->setup();
        const QString cache =
            QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) + "/latentlab/decoded";
        QDir(cache).removeRecursively();
        for (const char* size : {"32", "64", "128", "32"}) {
            s->findChild<QComboBox*>("imageSize")->setCurrentText(size);
            s->setDataSource(path);
            QTRY_VERIFY_WITH_TIMEOUT(s->scannedData() != nullptr, 20000);
            QVERIFY(s->scannedData()->pixels.mapped());
            QCOMPARE(s->scannedData()->count(), std::size_t(40));
        }
        QCOMPARE(QDir(cache).entryList({"*.llcache"}, QDir::Files).size(), 3);  // three sizes, 32 reused
        QVERIFY(QDir(cache).entryList({"*.decoding"}, QDir::Files).isEmpty());
#ifdef LATENTLAB_HAVE_OPENCV
        // A folder's decode reports its progress, which the status line shows.
        const QString folder = dir_.filePath("many");
        QDir().mkpath(folder);
        for (int i = 0; i < 1100; ++i) {
            QImage img(8, 8, QImage::Format_RGB888);
            img.fill(QColor::fromHsv(i % 360, 200, 200));
            QVERIFY(img.save(QString("%1/img%2.png").arg(folder).arg(i)));
        }
        QSignalSpy progress(s->scanner(), &DataScanner::progress);
        s->setDataSource(folder);
        QTRY_VERIFY_WITH_TIMEOUT(s->scannedData() != nullptr, 30000);
        QVERIFY(s->scannedData()->pixels.mapped());
        QVERIFY(progress.size() >= 2);  // at 1000 or more, and at the end
        QCOMPARE(progress.last().at(0).toULongLong(), 1100ull);
        QCOMPARE(progress.last().at(1).toULongLong(), 1100ull);
#endif
        // Synthetic faces stay in memory.
        s->setDataSource("synthetic:64");
        QTRY_VERIFY(s->scannedData() != nullptr);
        QVERIFY(!s->scannedData()->pixels.mapped());
    }

    void recipe_box_sends_its_parts_and_keeps_the_users() {
        MainWindow w;
        tiny_settings(w, dir_.filePath("recipe"));
        SetupPanel* s = w.trainer()->setup();
        QTRY_VERIFY(s->scannedData() != nullptr);
        // The default recipe's parts are what the box sends.
        QString error;
        auto c = s->config(&error);
        QVERIFY2(c, qPrintable(error));
        QCOMPARE(c->recipe_name, std::string("stable"));
        QVERIFY(c->recipe.ema);
        QVERIFY(c->recipe.instance_noise > 0.0);
        QCOMPARE(c->recipe.instance_noise, TrainConfig().recipe.instance_noise);
        QVERIFY(c->model.d_norm == DiscriminatorNorm::Batch);
        QVERIFY(c->recipe.augment.empty());
        // Choosing dcgan in the box sets every part to the lecture's.
        auto* recipe = s->findChild<QComboBox*>("recipe");
        recipe->setCurrentText("dcgan");
        Q_EMIT recipe->activated(recipe->currentIndex());
        c = s->config(&error);
        QVERIFY(c);
        QVERIFY(c->recipe == Recipe{});
        QVERIFY(c->model.d_norm == DiscriminatorNorm::Batch);
        // A part changed by hand is kept when the data changes, and pairs come through.
        s->findChild<QComboBox*>("dNorm")->setCurrentText("spectral");
        s->findChild<QComboBox*>("loss")->setCurrentText("hinge");
        s->findChild<QSpinBox*>("pairs")->setValue(3);
        s->setDataSource("synthetic:300");
        QTRY_VERIFY(s->scannedData() != nullptr);
        c = s->config(&error);
        QVERIFY(c);
        QVERIFY(c->recipe.loss == GanLoss::Hinge);
        QVERIFY(c->model.d_norm == DiscriminatorNorm::Spectral);
        QCOMPARE(c->pairs, 3);
        // A value out of range is refused with the field's name.
        auto* label = s->findChild<ValidatedField*>("real_label");
        QVERIFY(label);
        label->setText("0.2");
        QVERIFY(!s->config(&error));
        QVERIFY2(error.contains("real_label"), qPrintable(error));
    }

    void settings_have_tooltips_and_menu_actions_have_shortcuts() {
        MainWindow w;
        int settings = 0;
        for (QWidget* f : w.trainer()->setup()->findChildren<QWidget*>()) {
            const bool setting = qobject_cast<ValidatedField*>(f) || qobject_cast<QComboBox*>(f) ||
                                 qobject_cast<QCheckBox*>(f) || qobject_cast<QAbstractSpinBox*>(f);
            if (!setting || f->objectName().isEmpty() || f->objectName().startsWith("qt_")) continue;
            ++settings;
            QVERIFY2(!f->toolTip().isEmpty(), qPrintable(f->objectName() + " has no tooltip"));
        }
        QVERIFY2(settings >= 20, qPrintable(QString::number(settings)));
        int actions = 0;
        for (QAction* menu : w.menuBar()->actions()) {
            if (!menu->menu() || menu->text().contains("Help")) continue;
            for (QAction* a : menu->menu()->actions()) {
                if (a->isSeparator() || a->menu()) continue;  // the recent-checkpoints list is a submenu
                ++actions;
                QVERIFY2(!a->shortcut().isEmpty(), qPrintable(a->text() + " has no shortcut"));
            }
        }
        QVERIFY2(actions >= 15, qPrintable(QString::number(actions)));
        // An explorer action shows the explorer (and presses its button there).
        for (QAction* menu : w.menuBar()->actions())
            if (menu->menu() && menu->text() == "&Explore") menu->menu()->actions().front()->trigger();
        QCOMPARE(w.tabs()->currentWidget(), static_cast<QWidget*>(w.explorer()));
    }

    void charts_follow_a_dark_palette() {
        LiveCharts charts;
        charts.resize(400, 480);
        charts.show();
        QVERIFY(QTest::qWaitForWindowExposed(&charts));
        const auto background = [&charts] {
            QTest::qWait(50);  // the queued replot
            const QImage image = charts.findChild<QWidget*>("chart0")->grab().toImage();
            return image.pixelColor(2, image.height() / 2).lightness();
        };
        charts.setPalette(QPalette(QColor(240, 240, 240)));
        QVERIFY2(background() > 180, "a light palette gives a light chart");
        QPalette dark(QColor(45, 45, 45));
        dark.setColor(QPalette::Base, QColor(25, 25, 25));
        dark.setColor(QPalette::Text, QColor(230, 230, 230));
        charts.setPalette(dark);
        QVERIFY2(background() < 60, "a dark palette gives a dark chart");

        // The cross-validation scores follow the same palette.
        CrossValidationView view;
        CrossValidation two;
        two.fooled = {{0.0, 0.3}, {0.1, 0.0}};
        two.scores = {0.3, 0.1};
        view.add(two);
        view.resize(400, 200);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const auto scores_background = [&view] {
            QTest::qWait(50);
            const QImage image = view.findChild<QWidget*>("crossValidationScores")->grab().toImage();
            return image.pixelColor(image.width() - 3, 3).lightness();
        };
        view.setPalette(QPalette(QColor(240, 240, 240)));
        QVERIFY2(scores_background() > 180, "a light palette gives light scores");
        view.setPalette(dark);
        QVERIFY2(scores_background() < 60, "a dark palette gives dark scores");
    }

    void cross_validation_view_explains_a_single_pair() {
        QWidget parent;
        auto* view = new CrossValidationView(&parent);
        CrossValidation one;
        one.fooled = {{0.2}};
        one.scores = {0.2};
        view->add(one);
        QVERIFY(view->singlePairHint()->isVisibleTo(&parent));
        QVERIFY(!view->heatMap()->isVisibleTo(&parent));
        CrossValidation two;
        two.fooled = {{0.0, 0.3}, {0.1, 0.0}};
        two.scores = {0.3, 0.1};
        view->add(two);
        QVERIFY(!view->singlePairHint()->isVisibleTo(&parent));
        QVERIFY(view->heatMap()->isVisibleTo(&parent));
        QCOMPARE(view->history().size(), std::size_t{2});
    }

    void train_pause_step_resume_stop_through_the_buttons() {
        MainWindow w;
        w.show();
        const QString run = dir_.filePath("controls");
        tiny_settings(w, run);
        QTRY_VERIFY(w.trainer()->setup()->scannedData() != nullptr);
        QTest::mouseClick(button(w, "trainButton"), Qt::LeftButton);
        QVERIFY(w.trainer()->controller()->busy());
        QTRY_VERIFY_WITH_TIMEOUT(seen(w) >= 3, 30000);

        // The live views receive updates while it trains.
        QTRY_VERIFY(w.trainer()->charts()->pointCount() >= 3);
        QTRY_VERIFY(!w.trainer()->samples()->image().isNull());

        QTest::mouseClick(button(w, "pauseButton"), Qt::LeftButton);
        QTRY_COMPARE(w.trainer()->controller()->state(), TrainingController::State::Paused);
        settle();
        const std::int64_t paused_at = seen(w);
        settle();
        QCOMPARE(seen(w), paused_at);
        QVERIFY(button(w, "resumeButton")->isEnabled());
        QVERIFY(!button(w, "pauseButton")->isEnabled());

        QTest::mouseClick(button(w, "stepButton"), Qt::LeftButton);
        QTRY_COMPARE(seen(w), paused_at + 1);
        settle();
        QCOMPARE(seen(w), paused_at + 1);  // exactly one iteration
        QTest::mouseClick(button(w, "stepButton"), Qt::LeftButton);
        QTRY_COMPARE(seen(w), paused_at + 2);

        // Explore this run: a snapshot of the generator opens in the explorer while training goes on.
        QSignalSpy grid_shown(w.explorer(), &explore::ExplorerPanel::gridShown);
        QTest::mouseClick(button(w, "exploreRunButton"), Qt::LeftButton);
        QTRY_COMPARE(w.tabs()->currentWidget(), static_cast<QWidget*>(w.explorer()));
        QTRY_VERIFY_WITH_TIMEOUT(grid_shown.count() > 0, 30000);
        QCOMPARE(seen(w), paused_at + 2);  // exploring did not advance training

        QTest::mouseClick(button(w, "resumeButton"), Qt::LeftButton);
        QTRY_VERIFY(seen(w) > paused_at + 5);
        QTest::mouseClick(button(w, "stopButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(w.trainer()->controller()->state(), TrainingController::State::Idle, 30000);
        const QString latest = QString::fromStdString(CheckpointStore::latest_in(run.toStdString()));
        QVERIFY(QFile::exists(latest));
        CheckpointReader reader(latest.toStdString());
        QCOMPARE(reader.meta().at("iteration").get<std::int64_t>(), seen(w));
        QCOMPARE(button(w, "trainButton")->text(), QString("Resume run"));
    }

    void closing_during_training_leaves_a_checkpoint_that_resumes() {
        const QString run = dir_.filePath("closed");
        std::int64_t at_close = 0;
        {
            MainWindow w;
            w.setConfirmClose(false);
            w.show();
            tiny_settings(w, run);
            QTRY_VERIFY(w.trainer()->setup()->scannedData() != nullptr);
            QTest::mouseClick(button(w, "trainButton"), Qt::LeftButton);
            QTRY_VERIFY_WITH_TIMEOUT(seen(w) >= 20, 60000);  // past an epoch end (16 iterations)
            QVERIFY(w.close());
            QVERIFY(!w.trainer()->controller()->busy());
            at_close = seen(w);
        }
        const QString latest = QString::fromStdString(CheckpointStore::latest_in(run.toStdString()));
        QVERIFY(QFile::exists(latest));
        CheckpointReader reader(latest.toStdString());
        QVERIFY(reader.meta().at("iteration").get<std::int64_t>() >= at_close);

        // A run folder opened afterwards shows its curves and timeline, and Train resumes it.
        MainWindow again;
        again.show();
        QCOMPARE(again.trainer()->openRun(run), QString());
        QCOMPARE(again.trainer()->charts()->pointCount(), file_lines(run + "/metrics.jsonl"));
        QVERIFY(again.trainer()->charts()->pointCount() >= 2);
        QVERIFY(again.trainer()->timeline()->frameCount() >= 1);
        QVERIFY(again.trainer()->checkpoints()->count() >= 1);  // the run's checkpoints are listed
        const QString listed = again.trainer()->checkpoints()->item(0)->data(Qt::UserRole).toString();
        QVERIFY2(QFile::exists(listed), qPrintable(listed));
        {
            // Activating a listed checkpoint opens it in the explorer.
            QListWidget* list = again.trainer()->checkpoints();
            auto* views = qobject_cast<QTabWidget*>(list->parentWidget()->parentWidget());
            QVERIFY(views);
            views->setCurrentWidget(list);
            QVERIFY(QTest::qWaitForWindowExposed(&again));
            QTRY_VERIFY(list->isVisible() && !list->visualItemRect(list->item(0)).isEmpty());
            QSignalSpy grid_shown(again.explorer(), &explore::ExplorerPanel::gridShown);
            list->setFocus();
            list->setCurrentRow(0);
            QTest::keyClick(list, Qt::Key_Return);  // Return activates, as a double-click does
            QTRY_COMPARE(again.tabs()->currentWidget(), static_cast<QWidget*>(again.explorer()));
            QTRY_VERIFY_WITH_TIMEOUT(grid_shown.count() > 0, 30000);
            QVERIFY(again.explorer()->recentCheckpoints().contains(listed));
            again.tabs()->setCurrentIndex(0);
        }
        QCOMPARE(button(again, "trainButton")->text(), QString("Resume run"));
        QTRY_VERIFY(again.trainer()->setup()->scannedData() != nullptr);
        QTest::mouseClick(button(again, "trainButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(again.trainer()->message()->text().startsWith("Resumed"), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(seen(again) > reader.meta().at("iteration").get<std::int64_t>(), 30000);
        again.setConfirmClose(false);
        QVERIFY(again.close());

        // A form setting that would break exact resume is shown and must be
        // confirmed; the run then keeps its saved value, as `train --resume` does.
        {
            MainWindow fourth;
            fourth.show();
            QCOMPARE(fourth.trainer()->openRun(run), QString());
            QTRY_VERIFY(fourth.trainer()->setup()->scannedData() != nullptr);
            const int saved_batch = fourth.trainer()->setup()->field("batch_size")->text().toInt();
            fourth.trainer()->setup()->field("batch_size")->setText(QString::number(saved_batch * 2));
            const auto conflicts = [&fourth] { return fourth.findChild<QMessageBox*>("resumeConflicts"); };
            QTest::mouseClick(button(fourth, "trainButton"), Qt::LeftButton);
            QTRY_VERIFY(conflicts() != nullptr);
            QVERIFY2(conflicts()->text().contains("batch size: " + QString::number(saved_batch)),
                     qPrintable(conflicts()->text()));
            conflicts()->button(QMessageBox::Cancel)->click();
            QTRY_VERIFY(conflicts() == nullptr);
            QVERIFY(!fourth.trainer()->controller()->busy());
            QTest::mouseClick(button(fourth, "trainButton"), Qt::LeftButton);
            QTRY_VERIFY(conflicts() != nullptr);
            for (QAbstractButton* b : conflicts()->buttons())
                if (conflicts()->buttonRole(b) == QMessageBox::AcceptRole) b->click();
            QTRY_VERIFY_WITH_TIMEOUT(fourth.trainer()->message()->text().startsWith("Resumed"), 30000);
            QFile config(run + "/config.json");
            QVERIFY(config.open(QIODevice::ReadOnly));
            QCOMPARE(QJsonDocument::fromJson(config.readAll()).object().value("batch_size").toInt(), saved_batch);
            fourth.setConfirmClose(false);
            QVERIFY(fourth.close());
        }

        // Other data than the run's: refused with a message, nothing starts.
        {
            MainWindow fifth;
            fifth.show();
            QCOMPARE(fifth.trainer()->openRun(run), QString());
            auto* count = fifth.trainer()->setup()->findChild<QSpinBox*>("syntheticCount");
            count->setValue(count->value() + 64);
            QTRY_VERIFY(fifth.trainer()->setup()->scannedData() != nullptr &&
                        !fifth.trainer()->setup()->scanPending());
            QTest::mouseClick(button(fifth, "trainButton"), Qt::LeftButton);
            QTRY_VERIFY2(fifth.trainer()->message()->text().startsWith("Cannot resume"),
                         qPrintable(fifth.trainer()->message()->text()));
            QVERIFY(!fifth.trainer()->controller()->busy());
            QVERIFY(fifth.findChild<QMessageBox*>("resumeConflicts") == nullptr);
        }

        // Not a run folder: a clear message, nothing changes.
        MainWindow third;
        QVERIFY(third.trainer()->openRun(dir_.filePath("nothing-here")).contains("not a LatentLab run folder"));
    }
};

QTEST_MAIN(TestTrainer)
#include "test_trainer.moc"
