// SPDX-License-Identifier: GPL-3.0-or-later
// The explorer's quality bars, measured through the real panel:
//  - slider latency: from a slider move to the new frame on screen (the
//    frame label repainted), 64x64 images from an untrained generator of the
//    default shape (nz 100, ngf 64: the same cost as a trained one);
//  - a 16-frame strip exported as PNG;
//  - an attribute probe opened (its directions measured on 1024 samples),
//    and the attribute-slider latency: from a slider move to the edited face
//    on screen (the probe is a briefly trained one: the cost is the same).
// Usage: explorer_latency [MOVES] (run under QT_QPA_PLATFORM=offscreen).
#include "checkpoint/generator_snapshot.h"
#include "models/init.h"
#include "data/data_source.h"
#include "latent/attribute_probe.h"

#include <QApplication>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "explore/explorer_panel.h"
#include "explore/interpolation_view.h"
#include "explore/sample_grid_view.h"

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kDefaultMoves = 100;
constexpr int kWaitMs = 60000;
constexpr int kStripFrames = 16;
constexpr int kStripRuns = 5;

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * (v.size() - 1) + 0.5))];
}

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    const int moves = argc > 1 ? std::max(1, std::atoi(argv[1])) : kDefaultMoves;

    auto g = std::make_shared<latentlab::GeneratorSnapshot>();
    g->model = latentlab::ModelConfig{};  // 64x64, nz 100, ngf 64
    g->generator = latentlab::Generator(g->model);
    latentlab::init_dcgan_weights(*g->generator);
    g->generator->eval();

    latentlab::ExplorerPanel panel;
    panel.resize(1400, 900);
    panel.show();
    if (!QTest::qWaitForWindowExposed(&panel)) return 1;
    QSignalSpy grid(&panel, &latentlab::ExplorerPanel::gridShown);
    const auto t_grid = Clock::now();
    panel.setSnapshot(g, QStringLiteral("untrained 64x64"));
    if (!grid.wait(kWaitMs)) return 1;
    std::printf("grid of 64 tiles at 64x64: %.0f ms\n", ms_since(t_grid));

    auto* view = panel.findChild<latentlab::explore::InterpolationView*>();
    auto* tiles = panel.findChild<latentlab::explore::SampleGridView*>("sampleGrid");
    auto* frame = panel.findChild<QLabel*>("interpolationFrame");
    auto* slider = panel.findChild<QSlider*>("sliderInterpolation");
    QSignalSpy shown(view, &latentlab::explore::InterpolationView::frameShown);
    QTest::mouseClick(panel.findChild<QPushButton*>("targetKeyframes"), Qt::LeftButton);
    for (int i : {0, 1, 2}) QTest::mouseClick(tiles, Qt::LeftButton, {}, tiles->tileRect(i).center());
    if (!shown.wait(kWaitMs)) return 1;

    // One move at a time: the time until that move's frame is painted.
    std::vector<double> latency;
    for (int m = 1; m <= moves; ++m) {
        shown.clear();
        const auto t0 = Clock::now();
        slider->setValue(m * slider->maximum() / moves);
        if (!shown.wait(kWaitMs)) return 1;
        frame->repaint();  // on screen: painted, not just scheduled
        latency.push_back(ms_since(t0));
    }
    std::printf("slider move -> frame on screen, %d moves: median %.1f ms, p90 %.1f ms, max %.1f ms\n", moves,
                percentile(latency, 0.5), percentile(latency, 0.9), percentile(latency, 1.0));

    QTemporaryDir dir;
    std::vector<double> exports;
    for (int r = 0; r < kStripRuns; ++r) {
        QSignalSpy done(&panel, &latentlab::ExplorerPanel::exportFinished);
        const auto t0 = Clock::now();
        if (!panel.exportStripPng(dir.filePath("strip.png"), kStripFrames) || !done.wait(kWaitMs) ||
            !done.first().at(1).toBool())
            return 1;
        exports.push_back(ms_since(t0));
    }
    std::printf("16-frame strip PNG export (%d runs): median %.0f ms, max %.0f ms\n", kStripRuns,
                percentile(exports, 0.5), percentile(exports, 1.0));

    latentlab::DecodeOptions at64;
    at64.size = 64;
    latentlab::ProbeOptions brief;
    brief.steps = 5;
    const QString probe = dir.filePath("faces.llprobe");
    latentlab::save_attribute_probe(
        probe.toStdString(),
        latentlab::train_attribute_probe(latentlab::load_data(latentlab::parse_data_spec("synthetic:256"), at64, 1), brief));
    QSignalSpy probed(&panel, &latentlab::ExplorerPanel::probeOpened);
    const auto t_probe = Clock::now();
    if (!panel.openProbe(probe) || !probed.wait(kWaitMs) || !probed.first().at(0).toBool()) return 1;
    std::printf("attribute probe opened, directions measured on 1024 samples: %.0f ms\n", ms_since(t_probe));

    QSignalSpy edited(&panel, &latentlab::ExplorerPanel::editShown);
    QTest::mouseClick(panel.findChild<QPushButton*>("targetEdit"), Qt::LeftButton);
    QTest::mouseClick(tiles, Qt::LeftButton, {}, tiles->tileRect(5).center());
    if (!edited.wait(kWaitMs)) return 1;
    auto* face = panel.findChild<QLabel*>("editedFace");
    auto* smile = panel.findChild<QSlider*>("attributeSlider_Smiling");
    std::vector<double> edits;
    for (int m = 1; m <= moves; ++m) {
        edited.clear();
        const auto t0 = Clock::now();
        // Steps of 7 positions around the range: every move changes the value.
        const int span = smile->maximum() - smile->minimum() + 1;
        smile->setValue(smile->minimum() + (m * 7) % span);
        if (!edited.wait(kWaitMs)) return 1;
        face->repaint();
        edits.push_back(ms_since(t0));
    }
    std::printf("attribute slider move -> edited face on screen, %d moves: median %.1f ms, p90 %.1f ms, max %.1f ms\n",
                moves, percentile(edits, 0.5), percentile(edits, 0.9), percentile(edits, 1.0));
    return 0;
}
