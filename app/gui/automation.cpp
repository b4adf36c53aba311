// SPDX-License-Identifier: GPL-3.0-or-later
#include "automation.h"

#include <algorithm>

#include <QApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPushButton>
#include <QTabWidget>

#include "main_window.h"
#include "train/setup_panel.h"
#include "train/trainer_panel.h"

namespace latentlab::app {
namespace {
constexpr int kPollMs = 100;
constexpr int kProbeMs = 10;  // the responsiveness probe's period
}

Automation::Automation(ui::MainWindow& window, AutomationOptions options)
    : QObject(&window), window_(window), options_(std::move(options)) {
    connect(&poll_timer_, &QTimer::timeout, this, &Automation::poll);
    poll_timer_.start(kPollMs);
    since_start_.start();
    // Shown from the start, so that a checkpoint opened on the command line is drawn by the screenshot.
    if (options_.tab == "explore") window_.tabs()->setCurrentIndex(1);
    probe_.setTimerType(Qt::PreciseTimer);
    connect(&probe_, &QTimer::timeout, this, &Automation::on_tick);
    connect(window_.trainer()->controller(), &trainer::TrainingController::metricsArrived, this,
            [this](const std::vector<IterationMetrics>& m) {
                if (!m.empty() && m.back().avg_images_per_second > 0) images_per_second_ = m.back().avg_images_per_second;
            });
}

void Automation::poll() {
    auto* trainer = window_.trainer();
    if (options_.train && !training_) {
        if (!trainer->setup()->scannedData()) return;  // the scan is still running
        trainer->findChild<QPushButton*>("trainButton")->click();
        training_ = true;
        since_training_.start();
        if (options_.measure_seconds > 0) {
            since_tick_.start();
            probe_.start(kProbeMs);
        }
        return;
    }
    // Seconds of training, or without training seconds since start-up (e.g. for a checkpoint to open).
    const double elapsed = (training_ ? since_training_ : since_start_).elapsed() / 1000.0;
    if (!options_.screenshot.isEmpty() && elapsed >= options_.after_seconds) {
        window_.grab().save(options_.screenshot);
        finish();
    } else if (options_.measure_seconds > 0 && training_ && elapsed >= options_.measure_seconds) {
        write_report();
        finish();
    }
}

void Automation::on_tick() {
    const double gap = since_tick_.nsecsElapsed() / 1e6;
    since_tick_.start();
    stalls_ms_.push_back(std::max(0.0, gap - kProbeMs));
}

void Automation::write_report() {
    std::vector<double> s = stalls_ms_;
    std::sort(s.begin(), s.end());
    const auto pct = [&](double q) { return s.empty() ? 0.0 : s[std::min(s.size() - 1, std::size_t(q * s.size()))]; };
    const QJsonObject report{{"seconds", options_.measure_seconds},
                             {"ticks", static_cast<qint64>(s.size())},
                             {"stall_p50_ms", pct(0.50)},
                             {"stall_p99_ms", pct(0.99)},
                             {"stall_max_ms", s.empty() ? 0.0 : s.back()},
                             {"images_per_second", images_per_second_}};
    QFile f(options_.report);
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate)) f.write(QJsonDocument(report).toJson());
}

void Automation::finish() {
    poll_timer_.stop();
    probe_.stop();
    window_.setConfirmClose(false);
    window_.close();
    QApplication::quit();
}

} // namespace latentlab::app
