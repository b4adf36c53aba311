// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <vector>

#include <QWidget>

#include "train/metrics.h"

class QCustomPlot;
class QCPGraph;

namespace latentlab::trainer {

// Three QCustomPlot charts over the iterations: Loss_D and Loss_G; D(x) and
// D(G(z)); discriminator accuracy on real and on fake. Each series is drawn
// raw (thin, light) and smoothed (an exponential moving average); epoch
// boundaries are dashed lines. Drag to pan, wheel to zoom, double-click to
// follow the run again; hovering shows the values at that iteration. The
// charts take their background, text, axis and grid colours from the widget's
// palette, so a dark system palette gives dark charts.
class LiveCharts : public QWidget {
    Q_OBJECT
public:
    explicit LiveCharts(QWidget* parent = nullptr);

    void clear();
    // Appends iterations and schedules one replot (never one per iteration).
    void addMetrics(const std::vector<IterationMetrics>& metrics);
    int pointCount() const;  // iterations shown
    QCustomPlot* plot(int index) const { return plots_.at(static_cast<std::size_t>(index)); }

protected:
    void changeEvent(QEvent* event) override;

private:
    struct Series {
        QCPGraph* raw = nullptr;
        QCPGraph* smooth = nullptr;
        double average = 0;
    };
    void addPlot(const QString& title, const QStringList& names, const std::vector<QColor>& colours,
                  double fixed_max);
    void addEpochLine(double iteration);
    void showValuesAt(QCustomPlot* plot, const QPoint& pos);
    void follow();
    void applyPalette();

    std::vector<QCustomPlot*> plots_;
    std::vector<Series> series_;  // 6: loss_d, loss_g, d_x, d_g_z, acc_real, acc_fake
    std::int64_t last_epoch_ = -1;
    int points_ = 0;
    bool following_ = true;
};

} // namespace latentlab::trainer
