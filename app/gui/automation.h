// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <vector>

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

namespace latentlab::ui {
class MainWindow;
}

namespace latentlab::app {

// Scripted use of the real window, for screenshots and benchmarks:
//   --train                       press Train once the data scan is done
//   --screenshot PATH --after S   save the window as PNG after S seconds of training, then quit
//   --measure-responsiveness S --report FILE
//                                 while training, time the GUI event loop with a 10 ms timer
//                                 for S seconds and write stall percentiles and img/s as JSON
struct AutomationOptions {
    bool train = false;
    QString screenshot;
    double after_seconds = 0;
    QString tab;                  // "train" or "explore" for the screenshot
    double measure_seconds = 0;
    QString report;
};

class Automation : public QObject {
    Q_OBJECT
public:
    Automation(ui::MainWindow& window, AutomationOptions options);

private:
    void poll();
    void on_tick();
    void finish();
    void write_report();

    ui::MainWindow& window_;
    AutomationOptions options_;
    QTimer poll_timer_, probe_;
    QElapsedTimer since_training_, since_tick_, since_start_;
    bool training_ = false;
    std::vector<double> stalls_ms_;
    double images_per_second_ = 0;
};

} // namespace latentlab::app
