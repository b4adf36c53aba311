// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QImage>
#include <QList>
#include <QStringList>
#include <QWidget>

class QHBoxLayout;
class QLabel;

namespace latentlab::explore {

// One group of picks (A, B, C or the keyframes) as a row of thumbnails, each
// with a remove button (objectName "removeButton", property "index").
// Clicking the title makes the group the active one.
class GroupStrip : public QWidget {
    Q_OBJECT
public:
    GroupStrip(const QString& title, const QColor& colour, QWidget* parent = nullptr);

    // Thumbnails and their tooltips (SEED:INDEX, or what a derived vector is).
    void setItems(const QList<QImage>& thumbnails, const QStringList& labels);
    void setActive(bool active);
    void setEmptyText(const QString& text);
    int count() const { return count_; }
    // What an active strip is filled with (follows the palette, light or dark).
    QColor activeBackground() const;

Q_SIGNALS:
    void removeRequested(int index);
    void activateRequested();

protected:
    void mousePressEvent(QMouseEvent* event) override;
    void paintEvent(QPaintEvent* event) override;

private:
    QString title_;
    QColor colour_;
    QLabel* titleLabel_ = nullptr;
    QLabel* emptyLabel_ = nullptr;
    QHBoxLayout* items_ = nullptr;
    int count_ = 0;
    bool active_ = false;
};

} // namespace latentlab::explore
