// SPDX-License-Identifier: GPL-3.0-or-later
// qcustomplot.h is written with Qt's keywords (signals, foreach); this file
// includes no LibTorch header, so they may be on here.
#undef QT_NO_KEYWORDS
#include "train/cross_validation_view.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>

#include <qcustomplot.h>

#include "train/plot_style.h"

namespace latentlab::trainer {
namespace {

// Paints the latest matrix: white (never fooled) to a strong blue (always fooled).
class HeatMap : public QWidget {
public:
    explicit HeatMap(const std::vector<CrossValidation>& history, QWidget* parent)
        : QWidget(parent), history_(history) {
        setMinimumSize(150, 150);
        setToolTip(QObject::tr("Row G_i, column D_j: the share of G_i's samples that D_j calls real.\n"
                               "A generator that fools the other pairs' discriminators is better; the outlined row is "
                               "the best."));
    }

protected:
    void paintEvent(QPaintEvent*) override {
        QPainter p(this);
        p.fillRect(rect(), palette().window());
        if (history_.empty()) {
            p.setPen(palette().color(QPalette::PlaceholderText));
            p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, QObject::tr("cross-validation appears at the end of each epoch"));
            return;
        }
        const CrossValidation& cv = history_.back();
        const int k = static_cast<int>(cv.fooled.size());
        constexpr int kLabel = 24;  // room for the G_i / D_j labels
        const int side = std::max(1, (std::min(width(), height()) - kLabel) / k);
        p.setPen(palette().color(QPalette::WindowText));
        for (int j = 0; j < k; ++j)
            p.drawText(QRect(kLabel + j * side, 0, side, kLabel), Qt::AlignCenter, QStringLiteral("D%1").arg(j + 1));
        for (int i = 0; i < k; ++i) {
            p.setPen(palette().color(QPalette::WindowText));
            p.drawText(QRect(0, kLabel + i * side, kLabel, side), Qt::AlignCenter, QStringLiteral("G%1").arg(i + 1));
            for (int j = 0; j < k; ++j) {
                const double v = cv.fooled[i][j];
                const QRect cell(kLabel + j * side, kLabel + i * side, side, side);
                p.fillRect(cell, QColor::fromRgbF(1.0 - 0.85 * v, 1.0 - 0.6 * v, 1.0));
                p.setPen(v > 0.6 ? Qt::white : Qt::black);
                p.drawText(cell, Qt::AlignCenter, QString::number(v, 'f', 2));
            }
        }
        if (k > 1) {
            p.setPen(QPen(QColor(230, 126, 34), 3));
            p.drawRect(QRect(kLabel, kLabel + cv.best * side, k * side, side).adjusted(1, 1, -1, -1));
        }
    }

private:
    const std::vector<CrossValidation>& history_;
};

const QColor kPairColours[] = {QColor(41, 128, 185), QColor(192, 57, 43), QColor(39, 174, 96), QColor(142, 68, 173),
                               QColor(211, 84, 0),   QColor(44, 62, 80),  QColor(22, 160, 133), QColor(127, 140, 141)};

} // namespace

CrossValidationView::CrossValidationView(QWidget* parent) : QWidget(parent) {
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    heat_map_ = new HeatMap(history_, this);
    heat_map_->setObjectName("crossValidationHeatMap");
    scores_ = new QCustomPlot(this);
    scores_->setObjectName("crossValidationScores");
    scores_->setMinimumHeight(150);
    scores_->xAxis->setLabel(tr("iteration"));
    scores_->xAxis->ticker()->setTickCount(3);  // a narrow plot: more labels run into each other
    scores_->yAxis->setLabel(tr("G fools other Ds"));
    scores_->yAxis->setRange(0, 1);
    scores_->legend->setVisible(false);  // shown once there are generators to name
    scores_->legend->setFont(QFont(font().family(), 7));
    auto* hint = new QLabel(tr("One G/D pair: no other discriminator to judge its generator.\n"
                               "Set Pairs to 2-4 in the Recipe box to cross-validate."), this);
    hint->setObjectName("singlePairHint");
    hint->setAlignment(Qt::AlignCenter);
    hint->setWordWrap(true);
    hint->hide();
    single_pair_hint_ = hint;
    row->addWidget(heat_map_);
    row->addWidget(scores_, 1);
    row->addWidget(single_pair_hint_, 1);
    style_plot(*scores_, palette());
}

void CrossValidationView::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) style_plot(*scores_, palette());
}

void CrossValidationView::clear() {
    history_.clear();
    scores_->clearGraphs();
    scores_->legend->setVisible(false);
    scores_->replot(QCustomPlot::rpQueuedReplot);
    heat_map_->update();
}

void CrossValidationView::add(const CrossValidation& cv) {
    history_.push_back(cv);
    const bool single = cv.scores.size() < 2;
    heat_map_->setVisible(!single);
    scores_->setVisible(!single);
    single_pair_hint_->setVisible(single);
    while (scores_->graphCount() < static_cast<int>(cv.scores.size())) {
        const int i = scores_->graphCount();
        QCPGraph* g = scores_->addGraph();
        g->setName(QStringLiteral("G%1").arg(i + 1));
        g->setPen(QPen(kPairColours[i % 8], 2));
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 5));
    }
    scores_->legend->setVisible(true);
    for (std::size_t i = 0; i < cv.scores.size(); ++i)
        scores_->graph(static_cast<int>(i))->addData(static_cast<double>(cv.iteration), cv.scores[i]);
    scores_->xAxis->setRange(0, std::max<double>(1.0, static_cast<double>(cv.iteration)) * 1.05);
    scores_->replot(QCustomPlot::rpQueuedReplot);
    heat_map_->update();
}

} // namespace latentlab::trainer
