// SPDX-License-Identifier: GPL-3.0-or-later
// qcustomplot.h is written with Qt's keywords (signals, foreach); this file
// includes no LibTorch header, so they may be on here.
#undef QT_NO_KEYWORDS
#include "train/live_charts.h"

#include <QToolTip>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include "train/plot_style.h"

namespace latentlab::trainer {
namespace {

constexpr double kSmoothing = 0.95;  // weight of the running average per iteration
constexpr int kRawAlpha = 70;        // raw series are drawn faint behind the smoothed ones

QColor faint(QColor c) {
    c.setAlpha(kRawAlpha);
    return c;
}

} // namespace

LiveCharts::LiveCharts(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    const QColor blue(31, 119, 180), orange(255, 127, 14), green(44, 160, 44), red(214, 39, 40);
    addPlot(tr("Loss"), {tr("Loss_D"), tr("Loss_G")}, {blue, orange}, 0);
    addPlot(tr("Discriminator output"), {tr("D(x)"), tr("D(G(z))")}, {green, red}, 1.0);
    addPlot(tr("Discriminator accuracy"), {tr("real"), tr("fake")}, {green, red}, 1.0);
    applyPalette();
}

void LiveCharts::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) applyPalette();
}

void LiveCharts::applyPalette() {
    for (QCustomPlot* plot : plots_) style_plot(*plot, palette());
}

void LiveCharts::addPlot(const QString& title, const QStringList& names, const std::vector<QColor>& colours,
                          double fixed_max) {
    auto* plot = new QCustomPlot(this);
    plot->setObjectName(QStringLiteral("chart%1").arg(plots_.size()));
    plot->setMinimumHeight(120);
    plot->plotLayout()->insertRow(0);
    auto* heading = new QCPTextElement(plot, title, QFont(font().family(), 9, QFont::Bold));
    plot->plotLayout()->addElement(0, 0, heading);
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot->axisRect()->setRangeDrag(Qt::Horizontal);
    plot->axisRect()->setRangeZoom(Qt::Horizontal);
    plot->xAxis->setLabel(tr("iteration"));
    plot->legend->setVisible(true);
    plot->legend->setFont(QFont(font().family(), 8));
    plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    plot->yAxis->setRange(0, fixed_max > 0 ? fixed_max : 2.0);
    for (int i = 0; i < names.size(); ++i) {
        Series s;
        s.raw = plot->addGraph();
        s.raw->setPen(QPen(faint(colours[static_cast<std::size_t>(i)]), 1));
        s.raw->removeFromLegend();
        s.smooth = plot->addGraph();
        s.smooth->setPen(QPen(colours[static_cast<std::size_t>(i)], 2));
        s.smooth->setName(names[i]);
        series_.push_back(s);
    }
    plot->setProperty("fixed_max", fixed_max);
    connect(plot, &QCustomPlot::mouseMove, this, [this, plot](QMouseEvent* e) { showValuesAt(plot, e->pos()); });
    connect(plot, &QCustomPlot::mousePress, this, [this] { following_ = false; });
    connect(plot, &QCustomPlot::mouseWheel, this, [this] { following_ = false; });
    connect(plot, &QCustomPlot::mouseDoubleClick, this, [this] {
        following_ = true;
        follow();
    });
    layout()->addWidget(plot);
    plots_.push_back(plot);
}

void LiveCharts::clear() {
    for (auto& s : series_) {
        s.raw->data()->clear();
        s.smooth->data()->clear();
        s.average = 0;
    }
    for (auto* plot : plots_) {
        plot->clearItems();
        plot->replot(QCustomPlot::rpQueuedReplot);
    }
    last_epoch_ = -1;
    points_ = 0;
    following_ = true;
}

void LiveCharts::addEpochLine(double iteration) {
    for (auto* plot : plots_) {
        auto* line = new QCPItemStraightLine(plot);
        line->setPen(QPen(QColor(120, 120, 120), 1, Qt::DashLine));
        line->point1->setCoords(iteration, 0);
        line->point2->setCoords(iteration, 1);
    }
}

void LiveCharts::addMetrics(const std::vector<IterationMetrics>& metrics) {
    if (metrics.empty()) return;
    for (const auto& m : metrics) {
        if (!m.finite) continue;
        if (last_epoch_ >= 0 && m.epoch != last_epoch_) addEpochLine(static_cast<double>(m.iteration) - 0.5);
        last_epoch_ = m.epoch;
        const double x = static_cast<double>(m.iteration);
        const double values[] = {m.loss_d, m.loss_g, m.d_x, m.d_g_z1, m.accuracy_real, m.accuracy_fake};
        for (std::size_t i = 0; i < series_.size(); ++i) {
            Series& s = series_[i];
            s.average = points_ == 0 ? values[i] : kSmoothing * s.average + (1 - kSmoothing) * values[i];
            s.raw->addData(x, values[i]);
            s.smooth->addData(x, s.average);
        }
        ++points_;
    }
    follow();
}

void LiveCharts::follow() {
    if (!following_) {
        for (auto* plot : plots_) plot->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    for (auto* plot : plots_) {
        bool found = false;
        const QCPRange keys = plot->graph(0)->data()->keyRange(found);
        if (found) plot->xAxis->setRange(keys.lower, std::max(keys.upper, keys.lower + 10));
        if (plot->property("fixed_max").toDouble() <= 0) {
            // Losses have no fixed scale: fit the smoothed series, with headroom for the raw ones.
            constexpr double kHeadroom = 1.3, kMinTop = 0.5;
            double top = kMinTop;
            for (int g = 1; g < plot->graphCount(); g += 2) {
                bool ok = false;
                const QCPRange v = plot->graph(g)->data()->valueRange(ok);
                if (ok) top = std::max(top, v.upper * kHeadroom);
            }
            plot->yAxis->setRange(0, top);
        }
        plot->replot(QCustomPlot::rpQueuedReplot);
    }
}

void LiveCharts::showValuesAt(QCustomPlot* plot, const QPoint& pos) {
    if (plot->graphCount() == 0 || plot->graph(0)->dataCount() == 0) return;
    const double key = plot->xAxis->pixelToCoord(pos.x());
    QStringList lines;
    double at = 0;
    for (int g = 0; g < plot->graphCount(); ++g) {
        auto it = plot->graph(g)->data()->findBegin(key, false);
        if (it == plot->graph(g)->data()->constEnd()) continue;
        at = it->key;
        const QString name = g % 2 ? plot->graph(g)->name() + tr(" (smoothed)") : plot->graph(g + 1)->name();
        lines << QStringLiteral("%1: %2").arg(name).arg(it->value, 0, 'f', 4);
    }
    QToolTip::showText(plot->mapToGlobal(pos), tr("iteration %1\n").arg(at) + lines.join('\n'), plot);
}

int LiveCharts::pointCount() const { return points_; }

} // namespace latentlab::trainer
