// SPDX-License-Identifier: GPL-3.0-or-later
// qcustomplot.h is written with Qt's keywords (signals, foreach); this file
// includes no LibTorch header, so they may be on here.
#undef QT_NO_KEYWORDS
#include "train/plot_style.h"

#include <qcustomplot.h>

namespace latentlab::trainer {

void style_plot(QCustomPlot& plot, const QPalette& palette) {
    const QColor base = palette.color(QPalette::Base), text = palette.color(QPalette::Text);
    QColor grid = text;
    grid.setAlpha(40);
    plot.setBackground(base);
    for (QCPAxis* axis : {plot.xAxis, plot.yAxis}) {
        axis->setBasePen(QPen(text, 1));
        axis->setTickPen(QPen(text, 1));
        axis->setSubTickPen(QPen(text, 1));
        axis->setTickLabelColor(text);
        axis->setLabelColor(text);
        axis->grid()->setPen(QPen(grid, 1, Qt::DotLine));
    }
    plot.legend->setBrush(base);
    plot.legend->setTextColor(text);
    plot.legend->setBorderPen(QPen(grid, 1));
    if (plot.plotLayout()->elementCount() > 0)
        if (auto* heading = qobject_cast<QCPTextElement*>(plot.plotLayout()->elementAt(0))) heading->setTextColor(text);
    plot.replot(QCustomPlot::rpQueuedReplot);
}

} // namespace latentlab::trainer
