// SPDX-License-Identifier: GPL-3.0-or-later
// The explorer on the user's own faces, with real drops and clicks under
// -platform offscreen, on the checkpoint of a real tiny training run: images
// dropped on the panel are projected into the latent space on a thread of
// their own, show while they sharpen, and become pickable tiles; an
// attribute probe beside the checkpoint opens by itself, picks the samples
// it scores best, and its directions move a face by sliders.
// LibTorch before Qt: Qt's `slots` macro breaks the torch headers.
#include "checkpoint/checkpoint_store.h"
#include "core/engine_fixture.h"

#include <QtTest/QtTest>

#include <QCheckBox>
#include <QLabel>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSlider>

#include "explore/attribute_view.h"
#include "explore/explorer_panel.h"
#include "explore/sample_grid_view.h"
#include "imaging/png_file.h"
#include "latent/attribute_pick.h"

using namespace latentlab;
using latentlab::explore::SampleGridView;

namespace {

constexpr int kWaitMs = 120000;  // generous: CI machines may be slow

} // namespace

class TestExplorerFaces : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString ckpt_;
    QStringList faces_;  // held-out synthetic faces written as PNG files
    QString probe_;      // an attribute probe in the run folder
    std::unique_ptr<AttributeProbe> probeModel_;
    std::shared_ptr<GeneratorSnapshot> live_;  // "Explore this run": a snapshot that names no checkpoint file
    std::unique_ptr<ExplorerPanel> panel_;
    SampleGridView* projected_ = nullptr;

    void wait_for(const char* what, QSignalSpy& spy) { QVERIFY2(spy.count() > 0 || spy.wait(kWaitMs), what); }
    void open() {
        QSignalSpy shown(panel_.get(), &ExplorerPanel::gridShown);
        panel_->openCheckpoint(ckpt_);
        wait_for("grid", shown);
    }
    // Drops local files on the panel as a file manager would; returns whether it took them.
    bool drop(const QStringList& paths) {
        QMimeData mime;
        QList<QUrl> urls;
        for (const QString& p : paths) urls << QUrl::fromLocalFile(p);
        mime.setUrls(urls);
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, {});
        QApplication::sendEvent(panel_.get(), &enter);
        if (!enter.isAccepted()) return false;
        QDropEvent event(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, {});
        QApplication::sendEvent(panel_.get(), &event);
        return true;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir_.filePath("settings"));
        const std::string run = dir_.filePath("run").toStdString();
        // Four epochs of 512 faces: enough for faces the probe tells apart (the sliders need that).
        Engine engine(testing::tiny_config(run, 4), testing::tiny_faces(512));
        QCOMPARE(int(engine.run().reason), int(EndReason::Finished));
        ckpt_ = QString::fromStdString(CheckpointStore::latest_in(run));
        live_ = std::make_shared<GeneratorSnapshot>(engine.snapshot_generator());
        // A quick probe on more faces than the run saw: its accuracy is not what is tested here.
        ProbeOptions quick;
        quick.steps = 150;
        probeModel_ = std::make_unique<AttributeProbe>(train_attribute_probe(*testing::tiny_faces(1024, 3), quick));
        probe_ = dir_.filePath("run/attributes.llprobe");
        save_attribute_probe(probe_.toStdString(), *probeModel_);
        // Faces drawn with another seed than the training data's: held out.
        const auto held_out = testing::tiny_faces(3, 99);
        QDir().mkpath(dir_.filePath("photos"));
        for (std::size_t i = 0; i < held_out->count(); ++i) {
            faces_ << dir_.filePath(QStringLiteral("photos/face%1.png").arg(i));
            write_png(faces_.back().toStdString(), held_out->copy_image(i));
        }
    }

    void init() {
        panel_ = std::make_unique<ExplorerPanel>();
        panel_->resize(1200, 800);
        panel_->show();
        QVERIFY(QTest::qWaitForWindowExposed(panel_.get()));
        projected_ = panel_->findChild<SampleGridView*>("projectedGrid");
        QVERIFY(projected_);
    }
    void cleanup() { panel_.reset(); }  // must stop the projection thread without hanging

    void images_need_an_open_checkpoint() {
        QVERIFY(!drop({faces_[0]}));  // not taken without a generator to project into
        QVERIFY(!panel_->projectImages({faces_[0]}));
        QVERIFY2(panel_->message().contains("face0.png") && panel_->message().contains("open a checkpoint"),
                 qPrintable(panel_->message()));
    }

    void a_dropped_image_is_projected_and_its_tile_is_pickable() {
        open();
        QVERIFY(projected_->isHidden());
        QSignalSpy done(panel_.get(), &ExplorerPanel::projectionFinished);
        QVERIFY(drop({faces_[0], faces_[1]}));
        auto* bar = panel_->findChild<QProgressBar*>("projectionProgress");
        QVERIFY(bar && bar->isVisible());  // progress shows at once; the GUI did not wait
        // While it runs, the reconstructions show and sharpen: the bar moves.
        QTRY_VERIFY_WITH_TIMEOUT(bar->value() > 0 || done.count() > 0, kWaitMs);
        wait_for("the projection", done);
        QCOMPARE(done.takeFirst().at(0).toBool(), true);
        QVERIFY(!bar->isVisible());
        QCOMPARE(panel_->projectedCount(), 2);
        QCOMPARE(projected_->count(), 2);
        QVERIFY(projected_->isVisible());
        QVERIFY2(projected_->reference(1).startsWith("face1.png (projected"), qPrintable(projected_->reference(1)));
        QVERIFY(panel_->message().contains("face0.png, face1.png"));

        // Picked into group A like a generated tile, named by its file.
        panel_->setTarget(ExplorerPanel::TargetA);
        QTest::mouseClick(projected_, Qt::LeftButton, {}, projected_->tileRect(1).center());
        QCOMPARE(panel_->groupSize(0), 1);
        panel_->setTarget(ExplorerPanel::TargetKeyframes);
        QTest::mouseClick(projected_, Qt::LeftButton, {}, projected_->tileRect(0).center());
        QCOMPARE(panel_->keyframeCount(), 1);

        // A second drop adds to the tiles already there.
        QVERIFY(drop({faces_[2]}));
        wait_for("the second projection", done);
        QCOMPARE(panel_->projectedCount(), 3);
    }

    void a_folder_is_projected_and_bad_files_are_named() {
        open();
        QSignalSpy done(panel_.get(), &ExplorerPanel::projectionFinished);
        QFile junk(dir_.filePath("junk.png"));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("not an image");
        junk.close();
        QVERIFY(drop({junk.fileName()}));
        wait_for("the refusal", done);
        QCOMPARE(done.takeFirst().at(0).toBool(), false);
        QVERIFY2(panel_->message().contains("junk.png"), qPrintable(panel_->message()));
        QCOMPARE(panel_->projectedCount(), 0);

        QVERIFY(drop({dir_.filePath("photos")}));
        wait_for("the folder", done);
        QCOMPARE(done.takeFirst().at(0).toBool(), true);
        QCOMPARE(panel_->projectedCount(), 3);
    }

    void the_runs_training_images_are_projected() {
        open();
        QSignalSpy done(panel_.get(), &ExplorerPanel::projectionFinished);
        QTest::mouseClick(panel_->findChild<QPushButton*>("projectTrainingButton"), Qt::LeftButton);
        wait_for("the training images", done);
        QCOMPARE(done.takeFirst().at(0).toBool(), true);
        QCOMPARE(panel_->projectedCount(), 8);
        // Named by the run's data and index; another click takes others.
        QVERIFY2(projected_->reference(0).startsWith("synthetic:4096 #"), qPrintable(projected_->reference(0)));
        QVERIFY(panel_->projectTrainingImages(2));
        wait_for("two more", done);
        QCOMPARE(panel_->projectedCount(), 10);
        QVERIFY(projected_->reference(8) != projected_->reference(0));
    }

    void a_live_runs_snapshot_projects_without_a_checkpoint_file() {
        QSignalSpy shown(panel_.get(), &ExplorerPanel::gridShown);
        panel_->setSnapshot(live_, QStringLiteral("live run"));
        wait_for("grid", shown);
        // No file to read a discriminator from: the projection matches pixels only.
        QSignalSpy done(panel_.get(), &ExplorerPanel::projectionFinished);
        QVERIFY(panel_->projectImages({faces_[0]}));
        wait_for("the projection", done);
        QVERIFY2(done.takeFirst().at(0).toBool(), qPrintable(panel_->message()));
        QCOMPARE(panel_->projectedCount(), 1);
        // Nothing beside a file that is not there: no probe, and none to train into a run folder.
        QVERIFY(panel_->probeAttributes().isEmpty());
        auto* train = panel_->findChild<QPushButton*>("trainProbeButton");
        QVERIFY(!train->isEnabled());
        QVERIFY2(train->toolTip().contains("Save a checkpoint"), qPrintable(train->toolTip()));
    }

    void a_projection_can_be_cancelled_and_a_new_checkpoint_stops_it() {
        open();
        QSignalSpy done(panel_.get(), &ExplorerPanel::projectionFinished);
        QVERIFY(panel_->projectImages(faces_));
        auto* cancel = panel_->findChild<QPushButton*>("cancelProjectionButton");
        QVERIFY(cancel && cancel->isVisible());
        QTest::mouseClick(cancel, Qt::LeftButton);
        QCOMPARE(done.count(), 1);
        QCOMPARE(done.takeFirst().at(0).toBool(), false);
        QVERIFY(panel_->message().contains("cancelled"));
        QTest::qWait(200);  // nothing of the cancelled projection arrives later
        QCOMPARE(panel_->projectedCount(), 0);
        QCOMPARE(done.count(), 0);

        QVERIFY(panel_->projectImages(faces_));
        open();  // another generator: the projection's latents would not fit it
        QCOMPARE(done.count(), 1);
        QCOMPARE(done.takeFirst().at(0).toBool(), false);
        QCOMPARE(panel_->projectedCount(), 0);
        QVERIFY(panel_->projectImages({faces_[0]}));
        // Closing the panel while it projects stops its thread: cleanup() must not hang.
    }

    void a_probe_in_the_run_folder_picks_by_attribute() {
        QSignalSpy probed(panel_.get(), &ExplorerPanel::probeOpened);
        open();
        wait_for("the probe beside the checkpoint", probed);
        QCOMPARE(probed.takeFirst().at(0).toBool(), true);
        QCOMPARE(panel_->probeAttributes().size(), int(probeModel_->names.size()));
        QVERIFY(panel_->probeAttributes().contains("Smiling"));
        auto* status = panel_->findChild<QLabel*>("probeStatus");
        QVERIFY2(status->text().contains("attributes.llprobe"), qPrintable(status->text()));
        QVERIFY(panel_->findChild<QSlider*>("attributeSlider_Smiling"));

        // The best 3 of 4 fresh batches go into A, as `latentlab-cli pick` finds them.
        QSignalSpy added(panel_.get(), &ExplorerPanel::picksAdded);
        panel_->setTarget(ExplorerPanel::TargetA);
        auto* view = panel_->findChild<explore::AttributeView*>();
        view->setWishes("Smiling,-Male");
        QTest::mouseClick(panel_->findChild<QPushButton*>("pickButton"), Qt::LeftButton);
        wait_for("the picks", added);
        QCOMPARE(added.takeFirst().at(0).toInt(), 3);
        QCOMPARE(panel_->groupSize(0), 3);
        GeneratorSnapshot g = load_generator(ckpt_.toStdString(), c10::kCPU);
        const auto wishes = parse_attribute_wishes("Smiling,-Male", probeModel_->names);
        const auto expected = pick_by_attributes(g, *probeModel_, wishes, 3, 1000, 4);
        for (const AttributePick& p : expected)  // the references stay visible, to redo the sheet in the CLI
            QVERIFY2(panel_->message().contains(QString::fromStdString(p.ref.to_string())), qPrintable(panel_->message()));
        // The next click looks at fresh batches.
        QVERIFY(panel_->pickBest("Smiling"));
        wait_for("the second picks", added);
        QCOMPARE(added.takeFirst().at(0).toInt(), 3);
        QCOMPARE(panel_->groupSize(0), 6);
        QVERIFY(panel_->message().contains(QString::fromStdString(
            pick_by_attributes(g, *probeModel_, parse_attribute_wishes("Smiling", probeModel_->names), 1, 1004, 4)
                .front().ref.to_string())));

        // Sorted by the wish: best first, each tile still its own SEED:INDEX.
        QSignalSpy shown(panel_.get(), &ExplorerPanel::gridShown);
        view->setWishes("Smiling,-Male");
        panel_->findChild<QCheckBox*>("sortGridCheck")->setChecked(true);
        wait_for("the sorted grid", shown);
        auto* grid = panel_->findChild<SampleGridView*>("sampleGrid");
        const at::Tensor scores =
            wish_scores(attribute_probabilities(*probeModel_, draw_values(g, view_batch(g, 1, 64, {}), {})), wishes);
        const int best = int(scores.argmax().item<std::int64_t>());
        QCOMPARE(grid->shownAt(0), best);
        QCOMPARE(grid->tileRect(best).topLeft(), grid->tileRect(grid->shownAt(0)).topLeft());
        QVERIFY(scores[grid->shownAt(1)].item<double>() >= scores[grid->shownAt(2)].item<double>());
        QCOMPARE(grid->tileAt(grid->tileRect(best).center()), best);

        // Unknown attributes are named.
        QVERIFY(panel_->pickBest("Frowning"));
        wait_for("the refusal", added);
        QCOMPARE(added.takeFirst().at(0).toInt(), 0);
        QVERIFY2(panel_->message().contains("Frowning"), qPrintable(panel_->message()));
    }

    void sliders_move_the_edited_face_along_attribute_directions() {
        QSignalSpy probed(panel_.get(), &ExplorerPanel::probeOpened);
        open();
        wait_for("the probe", probed);
        auto* grid = panel_->findChild<SampleGridView*>("sampleGrid");
        QSignalSpy edited(panel_.get(), &ExplorerPanel::editShown);
        QTest::keyClick(panel_.get(), Qt::Key_5);
        QCOMPARE(panel_->target(), ExplorerPanel::TargetEdit);
        QTest::mouseClick(grid, Qt::LeftButton, {}, grid->tileRect(7).center());
        QVERIFY(panel_->hasEditFace());
        QCOMPARE(panel_->groupSize(0), 0);  // the edit face is not a group member
        wait_for("the face", edited);
        auto* face = panel_->findChild<QLabel*>("editFace");
        auto* result = panel_->findChild<QLabel*>("editedFace");
        QCOMPARE(result->pixmap().toImage(), face->pixmap().toImage());  // no amount yet: the face itself

        // A slider whose direction was measured moves the face.
        QSlider* slider = nullptr;
        for (QSlider* s : panel_->findChildren<QSlider*>())
            if (s->objectName().startsWith("attributeSlider_") && s->isEnabled()) slider = s;
        QVERIFY2(slider, qPrintable(panel_->findChild<QLabel*>("probeStatus")->text()));
        edited.clear();
        slider->setValue(20);
        wait_for("the edited face", edited);
        QTRY_VERIFY_WITH_TIMEOUT(result->pixmap().toImage() != face->pixmap().toImage(), kWaitMs);
        QVERIFY(panel_->findChild<QLabel*>("editFaceLabel")->text().contains("7"));

        // The edited face joins the keyframes like any pick.
        QTest::mouseClick(panel_->findChild<QPushButton*>("addEdited3"), Qt::LeftButton);
        QCOMPARE(panel_->keyframeCount(), 1);
    }

    void a_probe_is_trained_on_the_runs_data_from_the_window() {
        // A run folder of its own without a probe: the checkpoint alone, copied.
        QDir().mkpath(dir_.filePath("bare/checkpoints"));
        const QString bare = dir_.filePath("bare/checkpoints/only.llck");
        QVERIFY(QFile::copy(ckpt_, bare));
        QSignalSpy shown(panel_.get(), &ExplorerPanel::gridShown);
        panel_->openCheckpoint(bare);
        wait_for("grid", shown);
        QVERIFY(panel_->probeAttributes().isEmpty());
        auto* train = panel_->findChild<QPushButton*>("trainProbeButton");
        QVERIFY2(train->isEnabled(), qPrintable(train->toolTip()));
        QVERIFY2(train->toolTip().contains("synthetic"), qPrintable(train->toolTip()));

        // Cancelled at once: nothing written.
        QSignalSpy probed(panel_.get(), &ExplorerPanel::probeOpened);
        QTest::mouseClick(train, Qt::LeftButton);
        QCOMPARE(train->text(), QStringLiteral("Cancel training"));
        QTest::mouseClick(train, Qt::LeftButton);
        QCOMPARE(probed.count(), 1);
        QCOMPARE(probed.takeFirst().at(0).toBool(), false);
        QCOMPARE(train->text(), QStringLiteral("Train a probe"));

        // Trained to the end: saved in the run folder and opened.
        QVERIFY(panel_->trainProbe());
        QTRY_VERIFY_WITH_TIMEOUT(!probed.isEmpty(), 5 * kWaitMs);
        QCOMPARE(probed.takeFirst().at(0).toBool(), true);
        QVERIFY(QFile::exists(dir_.filePath("bare/attributes.llprobe")));
        QVERIFY(panel_->probeAttributes().contains("Smiling"));
        QVERIFY(!QFile::exists(dir_.filePath("bare/checkpoints/attributes.llprobe")));
    }

    void a_probe_of_another_size_is_refused_with_its_name() {
        open();
        QSignalSpy probed(panel_.get(), &ExplorerPanel::probeOpened);
        DecodeOptions o16;
        o16.size = 16;
        ProbeOptions tiny;
        tiny.steps = 2;
        const QString small = dir_.filePath("small.llprobe");
        save_attribute_probe(small.toStdString(),
                             train_attribute_probe(load_data(parse_data_spec("synthetic:64"), o16, 1), tiny));
        probed.clear();
        QVERIFY(panel_->openProbe(small));
        QTRY_VERIFY_WITH_TIMEOUT(!probed.isEmpty() && !probed.last().at(0).toBool(), kWaitMs);
        QVERIFY2(panel_->message().contains("small.llprobe") && panel_->message().contains("16x16"),
                 qPrintable(panel_->message()));
        QVERIFY(panel_->probeAttributes().isEmpty());
        QVERIFY(!panel_->pickBest("Smiling"));
    }
};

QTEST_MAIN(TestExplorerFaces)
#include "test_explorer_faces.moc"
