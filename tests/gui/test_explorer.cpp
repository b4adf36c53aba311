// SPDX-License-Identifier: GPL-3.0-or-later
// The latent explorer with real clicks under -platform offscreen, on the
// checkpoint of a real tiny training run: groups, the arithmetic sheet, the
// interpolation slider, exports (PNG, PNG sequence, GIF, JSON), and the same
// pixels as core's views and the latentlab-cli binary.
// LibTorch before Qt: Qt's `slots` macro breaks the torch headers.
#include "checkpoint/checkpoint_store.h"
#include "core/engine_fixture.h"
#include "latent/latent_views.h"

#include <QtTest/QtTest>

#include <QComboBox>
#include <QLabel>
#include <QMimeData>
#include <QProcess>
#include <QPushButton>
#include <QSlider>
#include <QToolButton>
#include <QToolTip>

#ifdef LATENTLAB_HAVE_GIF
#include <gif_lib.h>
#endif

#include "common/error.h"
#include "explore/arithmetic_view.h"
#include "explore/explorer_panel.h"
#include "explore/group_strip.h"
#include "widgets/image_convert.h"
#include "explore/interpolation_view.h"
#include "explore/sample_grid_view.h"
#include "latent/latent_set_file.h"

using namespace latentlab;
using latentlab::explore::GroupStrip;
using latentlab::explore::SampleGridView;

namespace {

constexpr int kSize = 32;       // the tiny run's image size
constexpr int kWaitMs = 60000;  // generous: CI machines may be slow

// The same pixels, whatever QImage format they came in.
bool same_pixels(const QImage& a, const QImage& b) {
    return !a.isNull() && a.convertToFormat(QImage::Format_RGB888) == b.convertToFormat(QImage::Format_RGB888);
}

#ifdef LATENTLAB_HAVE_GIF
int gif_frames(const QString& path, QSize* size) {
    int error = 0;
    GifFileType* gif = DGifOpenFileName(path.toLocal8Bit().constData(), &error);
    if (!gif) return -1;
    const int ok = DGifSlurp(gif);
    const int frames = ok == GIF_OK ? gif->ImageCount : -1;
    *size = QSize(gif->SWidth, gif->SHeight);
    DGifCloseFile(gif, &error);
    return frames;
}
#endif

} // namespace

class TestExplorer : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString ckpt_;
    std::unique_ptr<GeneratorSnapshot> g_;
    std::unique_ptr<ExplorerPanel> panel_;
    SampleGridView* grid_ = nullptr;

    void click_tile(int index) {
        QTest::mouseClick(grid_, Qt::LeftButton, {}, grid_->tileRect(index).center());
    }
    void wait_for(const char* what, QSignalSpy& spy) { QVERIFY2(spy.count() > 0 || spy.wait(kWaitMs), what); }
    QString file(const QString& name) const { return dir_.filePath(name); }
    // The checkpoint opened in this slot's panel, its grid drawn.
    void open() {
        QSignalSpy shown(panel_.get(), &ExplorerPanel::gridShown);
        panel_->openCheckpoint(ckpt_);
        wait_for("grid", shown);
        QCOMPARE(grid_->count(), 64);
    }
    // Clicks `tiles` of the grid into `target`.
    void pick(ExplorerPanel::Target target, std::initializer_list<int> tiles) {
        panel_->setTarget(target);
        for (int tile : tiles) click_tile(tile);
    }
    // A=1:0, B=1:1, C=1:2,1:3 and keyframes 1:4, 1:5: what several slots start from.
    void pick_the_demo() {
        pick(ExplorerPanel::TargetA, {0});
        pick(ExplorerPanel::TargetB, {1});
        pick(ExplorerPanel::TargetC, {2, 3});
        pick(ExplorerPanel::TargetKeyframes, {4, 5});
    }
    bool export_and_wait(const std::function<bool()>& start) {
        QSignalSpy done(panel_.get(), &ExplorerPanel::exportFinished);
        if (!start() || !done.wait(kWaitMs)) return false;
        return done.takeFirst().at(1).toBool();
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir_.filePath("settings"));
        const std::string run = dir_.filePath("run").toStdString();
        Engine engine(testing::tiny_config(run), testing::tiny_faces(128));
        QCOMPARE(int(engine.run().reason), int(EndReason::Finished));
        ckpt_ = QString::fromStdString(CheckpointStore::latest_in(run));
        g_ = std::make_unique<GeneratorSnapshot>(load_generator(ckpt_.toStdString(), c10::kCPU));
    }

    // Every slot gets a panel of its own, with nothing opened or picked: no
    // slot depends on another's order, state or files.
    void init() {
        panel_ = std::make_unique<ExplorerPanel>();
        panel_->resize(1200, 800);
        panel_->show();
        QVERIFY(QTest::qWaitForWindowExposed(panel_.get()));
        grid_ = panel_->findChild<SampleGridView*>("sampleGrid");
        QVERIFY(grid_);
    }
    void cleanup() { panel_.reset(); }  // must stop its thread without hanging

    void a_bad_checkpoint_is_refused_with_its_name() {
        const QString bad = file("broken.llck");
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not a checkpoint");
        f.close();
        QSignalSpy opened(panel_.get(), &ExplorerPanel::checkpointOpened);
        QSignalSpy failed(panel_.get(), &ExplorerPanel::checkpointFailed);
        panel_->openCheckpoint(bad);
        wait_for("the broken file's answer", failed);
        QCOMPARE(failed.takeFirst().at(0).toString(), bad);
        QVERIFY2(panel_->message().contains(bad), qPrintable(panel_->message()));
        panel_->openCheckpoint(file("missing.llck"));
        wait_for("the missing file's answer", failed);
        QVERIFY(panel_->message().contains("missing.llck"));
        QCOMPARE(opened.count(), 0);
        QVERIFY(!panel_->recentCheckpoints().contains(bad));
        QVERIFY(!panel_->recentCheckpoints().contains(file("missing.llck")));
    }

    void a_dropped_checkpoint_opens_and_draws_the_grid() {
        QSignalSpy opened(panel_.get(), &ExplorerPanel::checkpointOpened);
        QSignalSpy shown(panel_.get(), &ExplorerPanel::gridShown);
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(ckpt_)});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, {});
        QApplication::sendEvent(panel_.get(), &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, {});
        QApplication::sendEvent(panel_.get(), &drop);
        wait_for("the dropped checkpoint", opened);
        QCOMPARE(opened.count(), 1);
        wait_for("grid", shown);
        QCOMPARE(grid_->count(), 64);
        QCOMPARE(panel_->recentCheckpoints().value(0), QFileInfo(ckpt_).absoluteFilePath());
        // The grid's tiles are `sample --seed 1`'s tiles, addressed SEED:INDEX.
        const auto tiles = sample_tiles(*g_, 1, 64);
        QVERIFY(same_pixels(grid_->tile(9), ui::to_qimage(tiles[9])));
        QCOMPARE(grid_->reference(9), QStringLiteral("1:9"));
        QHelpEvent hover(QEvent::ToolTip, grid_->tileRect(9).center(), grid_->mapToGlobal(grid_->tileRect(9).center()));
        QApplication::sendEvent(grid_, &hover);
        QCOMPARE(QToolTip::text(), QStringLiteral("1:9"));
    }

    void clicks_fill_the_active_group_and_keys_switch_it() {
        open();
        QSignalSpy sheet(panel_.get(), &ExplorerPanel::arithmeticShown);
        QCOMPARE(int(panel_->target()), int(ExplorerPanel::TargetA));
        click_tile(0);
        QCOMPARE(panel_->groupSize(0), 1);
        QTest::keyClick(panel_.get(), Qt::Key_2);
        QCOMPARE(int(panel_->target()), int(ExplorerPanel::TargetB));
        click_tile(1);
        QTest::mouseClick(panel_->findChild<QPushButton*>("targetC"), Qt::LeftButton);
        QCOMPARE(int(panel_->target()), int(ExplorerPanel::TargetC));
        click_tile(2);
        click_tile(3);
        click_tile(7);
        QCOMPARE(panel_->groupSize(0), 1);
        QCOMPARE(panel_->groupSize(1), 1);
        QCOMPARE(panel_->groupSize(2), 3);
        QCOMPARE(panel_->findChild<GroupStrip*>("groupStripC")->count(), 3);
        QTRY_VERIFY_WITH_TIMEOUT(sheet.count() > 0 && panel_->findChild<QLabel*>("arithmeticSheet")->pixmap().height() >
                                                          0, kWaitMs);
    }

    void removing_a_pick_updates_the_result() {
        open();
        pick(ExplorerPanel::TargetA, {0});
        pick(ExplorerPanel::TargetB, {1});
        pick(ExplorerPanel::TargetC, {2, 3, 7});
        auto* strip = panel_->findChild<GroupStrip*>("groupStripC");
        const auto removes = strip->findChildren<QToolButton*>("removeButton");
        QCOMPARE(removes.size(), 3);
        QSignalSpy sheet(panel_.get(), &ExplorerPanel::arithmeticShown);
        QTest::mouseClick(removes[2], Qt::LeftButton);  // 1:7 goes
        QCOMPARE(panel_->groupSize(2), 2);
        QTRY_COMPARE_WITH_TIMEOUT(strip->findChildren<QToolButton*>("removeButton").size(), 2, 1000);
        wait_for("sheet after removal", sheet);
        // What the panel exports is core's (and so the CLI's) sheet for A=1:0, B=1:1, C=1:2,1:3.
        const QString out = file("arithmetic.png");
        QVERIFY(export_and_wait([&] { return panel_->exportArithmeticPng(out); }));
        const Image expected = arithmetic_sheet(*g_, {{1, 0}}, {{1, 1}}, {{1, 2}, {1, 3}});
        QCOMPARE(QImage(out).size(), QSize(7 * kSize + 8 * 2, 3 * kSize + 4 * 2));  // two pick rows + the means
        QVERIFY(same_pixels(QImage(out), ui::to_qimage(expected)));
    }

    void keyframes_and_the_slider() {
        open();
        QTest::keyClick(panel_.get(), Qt::Key_4);
        QCOMPARE(int(panel_->target()), int(ExplorerPanel::TargetKeyframes));
        QSignalSpy frames(panel_->findChild<QWidget*>("interpolationFrame")->parent(), SIGNAL(frameShown(double)));
        click_tile(4);
        click_tile(5);
        QCOMPARE(panel_->keyframeCount(), 2);
        wait_for("first frame", frames);
        auto* view = panel_->findChild<explore::InterpolationView*>();
        const QImage start = view->frame();
        // Drag the handle: the frame follows while the slider is down.
        auto* slider = panel_->findChild<QSlider*>("sliderInterpolation");
        QVERIFY(slider->isEnabled());
        QSignalSpy moved(slider, &QSlider::sliderMoved);
        slider->setSliderDown(true);
        frames.clear();
        constexpr int kMoves = 200;
        for (int v = 1; v <= kMoves; ++v) slider->setSliderPosition(v * slider->maximum() / kMoves);
        QCOMPARE(moved.count(), kMoves);
        // The newest request wins: the last frame shown is the last position, never an older one.
        QTRY_VERIFY_WITH_TIMEOUT(!frames.isEmpty() && frames.last().at(0).toDouble() == 1.0, kWaitMs);
        QTest::qWait(200);
        QCOMPARE(frames.last().at(0).toDouble(), 1.0);
        for (int i = 1; i < frames.size(); ++i) QVERIFY(frames[i].at(0).toDouble() > frames[i - 1].at(0).toDouble());
        QVERIFY2(frames.size() < kMoves, "every move was drawn: a backlog");
        slider->setSliderDown(false);
        const QImage end = view->frame();
        QVERIFY2(!same_pixels(start, end), "the frame did not change along the path");
        // Each frame is the path's point through the generator, as core draws it.
        const at::Tensor keys = latents_for({{1, 4}, {1, 5}}, g_->model.nz);
        const auto expected = [&](double position) {
            const at::Tensor z = path_point(keys, position, InterpolationMode::Slerp).unsqueeze(0);
            return ui::to_qimage(to_images(generate(g_->generator, z, g_->device)).front());
        };
        QVERIFY(same_pixels(start, expected(0.0)));
        QVERIFY(same_pixels(end, expected(1.0)));
        QVERIFY(!same_pixels(end, expected(0.5)));
    }

    void strip_exports_match_core_and_count_their_frames() {
        open();
        pick(ExplorerPanel::TargetKeyframes, {4, 5});
        const QString strip = file("strip.png"), gif = file("strip.gif"), frames = file("frames");
        QVERIFY(export_and_wait([&] { return panel_->exportStripPng(strip, 16); }));
        QCOMPARE(QImage(strip).size(), QSize(16 * kSize, kSize));
        QVERIFY(same_pixels(QImage(strip), ui::to_qimage(interpolation_strip(*g_, {1, 4}, {1, 5}, 16,
                                                                                  InterpolationMode::Slerp))));
        QVERIFY(export_and_wait([&] { return panel_->exportStripSequence(frames, 5); }));
        QCOMPARE(QDir(frames).entryList({"frame_*.png"}, QDir::Files).size(), 5);
        QCOMPARE(QImage(frames + "/frame_0004.png").size(), QSize(kSize, kSize));
#ifdef LATENTLAB_HAVE_GIF
        QVERIFY(export_and_wait([&] { return panel_->exportStripGif(gif, 7); }));
        QSize size;
        QCOMPARE(gif_frames(gif, &size), 7);
        QCOMPARE(size, QSize(kSize, kSize));
#endif
        // Nothing to export is said, with the file's name.
        QVERIFY(!panel_->exportStripGif(gif, 1));
        QVERIFY(panel_->message().contains(gif));
    }

    void the_cli_draws_the_same_pixels() {
        open();
        pick_the_demo();
        const QString panel_sheet = file("panel-arithmetic.png"), panel_strip = file("panel-strip.png");
        QVERIFY(export_and_wait([&] { return panel_->exportArithmeticPng(panel_sheet); }));
        QVERIFY(export_and_wait([&] { return panel_->exportStripPng(panel_strip, 16); }));
        const QString sheet = file("cli-arithmetic.png"), strip = file("cli-strip.png");
        const auto cli = [](const QStringList& args) {
            QProcess p;
            p.start(QStringLiteral(LATENTLAB_CLI_PATH), args);
            return p.waitForFinished(kWaitMs) && p.exitCode() == 0;
        };
        QVERIFY(cli({"arithmetic", "--checkpoint", ckpt_, "--device", "cpu", "--a", "1:0", "--b", "1:1", "--c",
                     "1:2,1:3", "--out", sheet}));
        QVERIFY(cli({"interpolate", "--checkpoint", ckpt_, "--device", "cpu", "--from", "1:4", "--to", "1:5",
                     "--steps", "16", "--out", strip}));
        QVERIFY(same_pixels(QImage(sheet), QImage(panel_sheet)));
        QVERIFY(same_pixels(QImage(strip), QImage(panel_strip)));
    }

    void latents_round_trip_through_json() {
        open();
        QSignalSpy shown(panel_.get(), &ExplorerPanel::arithmeticShown);
        pick_the_demo();
        wait_for("this panel's sheet", shown);
        const QString path = file("latents.json");
        QVERIFY(panel_->saveLatents(path));
        const LatentSet saved = load_latent_set(path.toStdString(), g_->model.nz);
        QCOMPARE(saved.groups[2].size(), std::size_t{2});
        QCOMPARE(saved.groups[2][1].ref->to_string(), std::string("1:3"));
        const at::Tensor expected = latents_for({{1, 3}}, g_->model.nz);
        QCOMPARE(saved.groups[2][1].vector[0], expected[0][0].item<float>());
        QCOMPARE(saved.keyframes.size(), std::size_t{2});

        ExplorerPanel other;
        QSignalSpy sheet(&other, &ExplorerPanel::arithmeticShown);
        QSignalSpy opened(&other, &ExplorerPanel::checkpointOpened);
        other.openCheckpoint(ckpt_);
        wait_for("the checkpoint", opened);
        QVERIFY(other.loadLatents(path));
        QCOMPARE(other.groupSize(0), 1);
        QCOMPARE(other.groupSize(2), 2);
        QCOMPARE(other.keyframeCount(), 2);
        wait_for("sheet of the loaded latents", sheet);
        QTRY_VERIFY_WITH_TIMEOUT(
            same_pixels(other.findChild<explore::ArithmeticView*>()->sheet(),
                        panel_->findChild<explore::ArithmeticView*>()->sheet()), kWaitMs);
    }

    void bad_latent_files_are_refused_with_the_reason() {
        open();
        pick(ExplorerPanel::TargetC, {2, 3});
        const QString broken = file("broken.json"), narrow = file("narrow.json");
        QFile f(broken);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{ \"format\": ");
        f.close();
        QVERIFY(!panel_->loadLatents(broken));
        QVERIFY(panel_->message().contains(broken) && panel_->message().contains("JSON"));
        LatentSet set;
        set.groups[0].push_back({LatentRef{1, 2}, std::vector<float>(5, 0.5f)});
        save_latent_set(narrow.toStdString(), set);
        QVERIFY(!panel_->loadLatents(narrow));
        QVERIFY2(panel_->message().contains(narrow) && panel_->message().contains("nz"), qPrintable(panel_->message()));
        QCOMPARE(panel_->groupSize(2), 2);  // nothing changed
    }

    void batch_statistics_switch_redraws() {
        open();
        QSignalSpy shown(panel_.get(), &ExplorerPanel::gridShown);
        const QImage before = grid_->tile(0);
        panel_->findChild<QWidget*>("batchStatsCheck")->setProperty("checked", true);
        wait_for("grid with batch statistics", shown);
        ViewOptions batch;
        batch.statistics = NormStatistics::Batch;
        QVERIFY(same_pixels(grid_->tile(0), ui::to_qimage(sample_tiles(*g_, 1, 64, batch)[0])));
        QVERIFY(!same_pixels(grid_->tile(0), before));
    }

    void closing_during_an_export_cancels_it() {
        auto other = std::make_unique<ExplorerPanel>();
        other->resize(1200, 800);
        other->show();
        QVERIFY(QTest::qWaitForWindowExposed(other.get()));
        QSignalSpy shown(other.get(), &ExplorerPanel::gridShown);
        other->openCheckpoint(ckpt_);
        wait_for("grid", shown);
        auto* grid = other->findChild<SampleGridView*>("sampleGrid");
        other->setTarget(ExplorerPanel::TargetKeyframes);
        for (int tile : {0, 1}) QTest::mouseClick(grid, Qt::LeftButton, {}, grid->tileRect(tile).center());
        QCOMPARE(other->keyframeCount(), 2);
        const QString folder = file("cancelled-sequence");
        QVERIFY(other->exportStripSequence(folder, 3000));
        // Closed while the export is under way (drawing and writing 3000 frames
        // takes seconds): it stops before its next file and removes what it
        // wrote; closing waits at most for the drawing in progress.
        QTest::qWait(100);
        other.reset();
        QVERIFY2(!QFileInfo::exists(folder), "a cancelled export left files behind");
    }

    // The active group's tint follows the palette: light on light, dark on dark,
    // and it is what the strip is painted with.
    void active_group_follows_a_dark_palette() {
        GroupStrip strip("A", QColor(0xd6, 0x45, 0x45));
        strip.resize(300, 80);
        strip.setActive(true);
        strip.show();
        QVERIFY(QTest::qWaitForWindowExposed(&strip));
        const auto painted = [&strip] { return strip.grab().toImage().pixelColor(strip.width() - 3, 3); };
        strip.setPalette(QPalette(QColor(240, 240, 240)));
        QVERIFY2(strip.activeBackground().lightness() > 170, "a light tint on a light palette");
        QCOMPARE(painted().rgb(), strip.activeBackground().rgb());
        QPalette dark(QColor(45, 45, 45));
        dark.setColor(QPalette::WindowText, QColor(230, 230, 230));
        strip.setPalette(dark);
        QVERIFY2(strip.activeBackground().lightness() < 90, "a dark tint on a dark palette");
        QCOMPARE(painted().rgb(), strip.activeBackground().rgb());
        QVERIFY(strip.activeBackground().red() > strip.activeBackground().blue());  // still the group's colour
    }

};

QTEST_MAIN(TestExplorer)
#include "test_explorer.moc"
