// SPDX-License-Identifier: GPL-3.0-or-later
#include "explore/sample_grid_view.h"

#include <algorithm>

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

namespace latentlab::explore {
namespace {

constexpr int kMinShownSize = 64;  // small tiles are drawn at least this big
constexpr int kGap = 4;             // pixels between tiles
constexpr int kMarkWidth = 3;       // border of a picked tile
constexpr int kEmptyColumns = 8;    // size hint before any tiles arrive

int grid_columns_for(int count) {
    int columns = 1;
    while (columns * columns < count) ++columns;
    return columns;  // as core's grid_columns: the same layout as `sample`
}

} // namespace

SampleGridView::SampleGridView(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setCursor(Qt::PointingHandCursor);
    setFocusPolicy(Qt::StrongFocus);
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
}

void SampleGridView::setTiles(std::uint64_t seed, const QList<QImage>& tiles) {
    seed_ = seed;
    tiles_ = tiles;
    labels_.clear();
    order_.clear();
    position_.clear();
    notes_.clear();
    updateGeometry();
    update();
}

void SampleGridView::setLabelledTiles(const QList<QImage>& tiles, const QStringList& labels) {
    setTiles(0, tiles);
    labels_ = labels;
}

void SampleGridView::setOrder(const QList<int>& order, const QStringList& notes) {
    order_.clear();
    position_.clear();
    if (order.size() == count()) {
        position_ = QList<int>(count(), -1);
        for (int k = 0; k < order.size(); ++k)
            if (order[k] >= 0 && order[k] < count()) position_[order[k]] = k;
        if (!position_.contains(-1)) order_ = order;  // a permutation, or nothing
        else position_.clear();
    }
    notes_ = notes;
    update();
}

void SampleGridView::clear() { setTiles(0, {}); }

void SampleGridView::setMarks(const QHash<int, Mark>& marks) {
    marks_ = marks;
    update();
}

QString SampleGridView::reference(int index) const {
    if (!labels_.isEmpty()) return labels_.value(index);
    return QStringLiteral("%1:%2").arg(seed_).arg(index);
}

void SampleGridView::setColumns(int columns) {
    fixedColumns_ = std::max(0, columns);
    updateGeometry();
    update();
}

int SampleGridView::columns() const {
    if (fixedColumns_ > 0) return tiles_.isEmpty() ? fixedColumns_ : std::min(fixedColumns_, count());
    return tiles_.isEmpty() ? kEmptyColumns : grid_columns_for(count());
}

int SampleGridView::shownSize() const {
    if (tiles_.isEmpty()) return kMinShownSize;
    const int size = tiles_.front().width();
    int scale = 1;
    while (size * scale < kMinShownSize) ++scale;  // whole multiples keep pixels square
    return size * scale;
}

QRect SampleGridView::tileRect(int index) const {
    const int s = shownSize(), c = columns();
    if (!position_.isEmpty() && index >= 0 && index < position_.size()) index = position_[index];
    return {kGap + (index % c) * (s + kGap), kGap + (index / c) * (s + kGap), s, s};
}

int SampleGridView::tileAt(const QPoint& pos) const {
    for (int i = 0; i < count(); ++i)
        if (tileRect(i).contains(pos)) return i;
    return -1;
}

QSize SampleGridView::sizeHint() const {
    const int c = columns(), rows = tiles_.isEmpty() ? kEmptyColumns : (count() + c - 1) / c;
    const int s = shownSize();
    return {kGap + c * (s + kGap), kGap + rows * (s + kGap)};
}

QSize SampleGridView::minimumSizeHint() const { return sizeHint(); }

void SampleGridView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Base));
    if (tiles_.isEmpty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, tr("Open a checkpoint to draw samples"));
        return;
    }
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    for (int i = 0; i < count(); ++i) {
        const QRect r = tileRect(i);
        p.drawImage(r, tiles_[i]);
        if (i == hovered_) p.fillRect(r, QColor(255, 255, 255, 40));
        const auto mark = marks_.constFind(i);
        if (mark == marks_.constEnd()) continue;
        p.setPen(QPen(mark->colour, kMarkWidth));
        p.setBrush(Qt::NoBrush);
        p.drawRect(r.adjusted(1, 1, -2, -2));
        const QRect badge(r.topLeft() + QPoint(2, 2), QSize(p.fontMetrics().horizontalAdvance(mark->label) + 6,
                                                            p.fontMetrics().height()));
        p.fillRect(badge, mark->colour);
        p.setPen(Qt::white);
        p.drawText(badge, Qt::AlignCenter, mark->label);
    }
}

void SampleGridView::mousePressEvent(QMouseEvent* event) {
    const int index = tileAt(event->position().toPoint());
    if (event->button() == Qt::LeftButton && index >= 0) {
        Q_EMIT tileClicked(index);
        event->accept();
        return;
    }
    QWidget::mousePressEvent(event);
}

bool SampleGridView::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        const auto* help = static_cast<QHelpEvent*>(event);
        const int index = tileAt(help->pos());
        const QString note = notes_.value(index);
        if (index >= 0)
            QToolTip::showText(help->globalPos(), note.isEmpty() ? reference(index) : reference(index) + QStringLiteral(" \u00b7 ") + note,
                               this, tileRect(index));
        else QToolTip::hideText();
        return true;
    }
    if (event->type() == QEvent::MouseMove) {
        const int index = tileAt(static_cast<QMouseEvent*>(event)->position().toPoint());
        if (index != hovered_) {
            hovered_ = index;
            update();
        }
    } else if (event->type() == QEvent::Leave) {
        hovered_ = -1;
        update();
    }
    return QWidget::event(event);
}

} // namespace latentlab::explore
