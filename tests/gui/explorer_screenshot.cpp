// SPDX-License-Identifier: GPL-3.0-or-later
// Draws the explorer's screenshots for the documentation:
//   explorer_screenshot CHECKPOINT OUT_DIR SEED A B C KEYFRAMES [POSITION [PROBE PHOTOS]]
// where A, B, C and KEYFRAMES are comma lists of grid indices of SEED's batch
// (e.g. 3,17). Clicks them into their groups as a person would, then saves
// OUT_DIR/explorer-arithmetic.png and OUT_DIR/explorer-interpolation.png.
// With an attribute probe and a folder of photos it also projects the photos
// (OUT_DIR/explorer-projection.png) and moves the first face of C along the
// probe's Smiling direction (OUT_DIR/explorer-attributes.png).
#include "checkpoint/generator_snapshot.h"

#include <QApplication>
#include <QDir>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QTest>

#include <iostream>

#include "explore/explorer_panel.h"
#include "explore/sample_grid_view.h"

namespace {

constexpr int kWaitMs = 60000;
constexpr int kSettleMs = 300;     // lets the last results arrive and paint
constexpr int kWindowWidth = 1480;
constexpr int kWindowHeight = 860;

bool save(QWidget* w, const QString& path) {
    QTest::qWait(kSettleMs);
    const bool ok = w->grab().save(path);
    std::cout << (ok ? "wrote " : "could not write ") << path.toStdString() << "\n";
    return ok;
}

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 8) {
        std::cerr << "usage: explorer_screenshot CHECKPOINT OUT_DIR SEED A B C KEYFRAMES [POSITION]\n";
        return 2;
    }
    latentlab::ExplorerPanel panel;
    panel.resize(kWindowWidth, kWindowHeight);
    panel.show();
    if (!QTest::qWaitForWindowExposed(&panel)) return 1;
    auto* grid = panel.findChild<latentlab::explore::SampleGridView*>("sampleGrid");
    QSignalSpy gridShown(&panel, &latentlab::ExplorerPanel::gridShown);
    QSignalSpy failed(&panel, &latentlab::ExplorerPanel::checkpointFailed);
    panel.openCheckpoint(args[1]);
    const bool answered = QTest::qWaitFor([&] { return !gridShown.isEmpty() || !failed.isEmpty(); }, kWaitMs);
    if (!answered || !failed.isEmpty()) {
        std::cerr << panel.message().toStdString() << "\n";
        return 1;
    }
    auto* seed = panel.findChild<QLineEdit*>("seedField");
    if (seed->text() != args[3]) {
        gridShown.clear();
        seed->setText(args[3]);
        QMetaObject::invokeMethod(seed, "editingFinished");
        gridShown.wait(kWaitMs);
    }
    QSignalSpy sheet(&panel, &latentlab::ExplorerPanel::arithmeticShown);
    const char* targets[] = {"targetA", "targetB", "targetC", "targetKeyframes"};
    for (int t = 0; t < 4; ++t) {
        QTest::mouseClick(panel.findChild<QPushButton*>(targets[t]), Qt::LeftButton);
        for (const QString& index : args[4 + t].split(',', Qt::SkipEmptyParts))
            QTest::mouseClick(grid, Qt::LeftButton, {}, grid->tileRect(index.toInt()).center());
        if (t == 2 && sheet.isEmpty()) sheet.wait(kWaitMs);
    }
    QTest::mouseClick(panel.findChild<QPushButton*>("targetA"), Qt::LeftButton);
    QTest::qWait(kSettleMs);
    const QDir out(args[2]);
    bool ok = save(&panel, out.filePath("explorer-arithmetic.png"));
    QTest::mouseClick(panel.findChild<QPushButton*>("targetKeyframes"), Qt::LeftButton);
    auto* slider = panel.findChild<QSlider*>("sliderInterpolation");
    const double position = args.size() > 8 ? args[8].toDouble() : 0.5;
    slider->setValue(int(position * slider->maximum()));
    ok = save(&panel, out.filePath("explorer-interpolation.png")) && ok;
    if (args.size() < 11) return ok ? 0 : 1;

    QSignalSpy projected(&panel, &latentlab::ExplorerPanel::projectionFinished);
    QTest::mouseClick(panel.findChild<QPushButton*>("targetA"), Qt::LeftButton);
    panel.projectImages({args[10]});
    if (!projected.wait(10 * kWaitMs) || !projected.front().at(0).toBool()) {
        std::cerr << panel.message().toStdString() << "\n";
        return 1;
    }
    ok = save(&panel, out.filePath("explorer-projection.png")) && ok;

    QSignalSpy probed(&panel, &latentlab::ExplorerPanel::probeOpened);
    panel.openProbe(args[9]);
    if (!probed.wait(kWaitMs) || !probed.front().at(0).toBool()) {
        std::cerr << panel.message().toStdString() << "\n";
        return 1;
    }
    QSignalSpy edited(&panel, &latentlab::ExplorerPanel::editShown);
    QTest::mouseClick(panel.findChild<QPushButton*>("targetEdit"), Qt::LeftButton);
    const int face = args[6].split(',').front().toInt();
    QTest::mouseClick(grid, Qt::LeftButton, {}, grid->tileRect(face).center());
    edited.wait(kWaitMs);
    edited.clear();
    panel.findChild<QSlider*>("attributeSlider_Smiling")->setValue(20);  // +2.0
    edited.wait(kWaitMs);
    ok = save(&panel, out.filePath("explorer-attributes.png")) && ok;
    return ok ? 0 : 1;
}
