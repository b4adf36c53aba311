// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class QCustomPlot;
class QPalette;

namespace latentlab::trainer {

// Colours a plot from a widget palette: the background from Base, axes, tick
// labels, the legend's text and a bold first-row heading from Text, the grid
// a faint Text. Light and dark palettes both read, since Qt 6.4 has no colour
// scheme to ask. Queues a replot.
void style_plot(QCustomPlot& plot, const QPalette& palette);

} // namespace latentlab::trainer
