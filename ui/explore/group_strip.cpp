// SPDX-License-Identifier: GPL-3.0-or-later
#include "explore/group_strip.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QToolButton>
#include <QVBoxLayout>

namespace latentlab::explore {
namespace {

constexpr int kThumbSize = 48;   // shown size of a pick
constexpr int kTitleWidth = 84;  // room for "Keyframes"

} // namespace

GroupStrip::GroupStrip(const QString& title, const QColor& colour, QWidget* parent)
    : QWidget(parent), title_(title), colour_(colour) {
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(4, 2, 4, 2);
    titleLabel_ = new QLabel(this);
    titleLabel_->setFixedWidth(kTitleWidth);
    titleLabel_->setCursor(Qt::PointingHandCursor);
    row->addWidget(titleLabel_);
    items_ = new QHBoxLayout;
    items_->setSpacing(4);
    row->addLayout(items_);
    emptyLabel_ = new QLabel(tr("click images in the grid"), this);
    emptyLabel_->setEnabled(false);
    row->addWidget(emptyLabel_);
    row->addStretch(1);
    setMinimumHeight(kThumbSize + 8);
    setActive(false);
}

void GroupStrip::setEmptyText(const QString& text) { emptyLabel_->setText(text); }

void GroupStrip::setActive(bool active) {
    active_ = active;
    titleLabel_->setText(QStringLiteral("<span style='color:%1;font-weight:bold'>%2</span>%3")
                             .arg(colour_.name(), title_, active ? tr("<br><small>active</small>") : QString()));
    update();
}

QColor GroupStrip::activeBackground() const {
    // A quarter of the group's colour over the window's: a light tint on a
    // light palette, a dark one on a dark palette, so the text stays readable.
    const QColor base = palette().color(QPalette::Window);
    constexpr double kShare = 0.25;
    const auto mix = [](double a, double b) { return a * (1.0 - kShare) + b * kShare; };
    return QColor::fromRgbF(mix(base.redF(), colour_.redF()), mix(base.greenF(), colour_.greenF()),
                            mix(base.blueF(), colour_.blueF()));
}

void GroupStrip::paintEvent(QPaintEvent* event) {
    if (active_) QPainter(this).fillRect(rect(), activeBackground());
    QWidget::paintEvent(event);
}

void GroupStrip::setItems(const QList<QImage>& thumbnails, const QStringList& labels) {
    while (QLayoutItem* item = items_->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    count_ = static_cast<int>(thumbnails.size());
    for (int i = 0; i < count_; ++i) {
        auto* cell = new QWidget(this);
        auto* column = new QVBoxLayout(cell);
        column->setContentsMargins(0, 0, 0, 0);
        column->setSpacing(0);
        auto* image = new QLabel(cell);
        const QImage& thumb = thumbnails[i];
        image->setPixmap(thumb.isNull() ? QPixmap(kThumbSize, kThumbSize)
                                        : QPixmap::fromImage(thumb.scaled(kThumbSize, kThumbSize, Qt::KeepAspectRatio,
                                                                          Qt::SmoothTransformation)));
        image->setFixedSize(kThumbSize, kThumbSize);
        image->setToolTip(labels.value(i));
        auto* remove = new QToolButton(cell);
        remove->setObjectName(QStringLiteral("removeButton"));
        remove->setProperty("index", i);
        remove->setText(QStringLiteral("\u00d7"));
        remove->setToolTip(tr("Remove %1 from %2").arg(labels.value(i), title_));
        remove->setAutoRaise(true);
        remove->setFixedSize(kThumbSize, 16);
        connect(remove, &QToolButton::clicked, this, [this, i] { Q_EMIT removeRequested(i); });
        column->addWidget(image);
        column->addWidget(remove);
        items_->addWidget(cell);
    }
    emptyLabel_->setVisible(count_ == 0);
}

void GroupStrip::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton) Q_EMIT activateRequested();
    QWidget::mousePressEvent(event);
}

} // namespace latentlab::explore
