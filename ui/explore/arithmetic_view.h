// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>

#include <QImage>
#include <QList>
#include <QStringList>
#include <QWidget>

class QDoubleSpinBox;
class QHBoxLayout;
class QLabel;
class QPushButton;
class QSpinBox;

namespace latentlab::explore {

class GroupStrip;

// Vector arithmetic: the groups A, B and C as thumbnails, the sheet of
// mean(A) - mean(B) + mean(C) as the lecture's demo lays it out, and the
// result re-rolled with a little noise. It shows; the panel decides.
class ArithmeticView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kGroupCount = 3;
    explicit ArithmeticView(QWidget* parent = nullptr);

    void setGroup(int group, const QList<QImage>& thumbnails, const QStringList& labels);
    void setActiveGroup(int group);  // -1: none (the keyframes are active)
    void setSheet(const QImage& sheet, const QString& hint = {});
    void setVariants(const QList<QImage>& variants);
    int variantCount() const;
    double variantNoise() const;
    GroupStrip* strip(int group) const { return strips_[group]; }
    QImage sheet() const { return sheet_; }

protected:
    void resizeEvent(QResizeEvent* event) override;

Q_SIGNALS:
    void removeRequested(int group, int index);
    void activateRequested(int group);
    void rerollRequested();
    void useResultRequested();
    void variantClicked(int index);
    void exportRequested();
    void saveRequested();
    void loadRequested();

private:
    void showSheet();

    std::array<GroupStrip*, kGroupCount> strips_{};
    QLabel* sheetLabel_ = nullptr;
    QHBoxLayout* variantRow_ = nullptr;
    QSpinBox* variantCount_ = nullptr;
    QDoubleSpinBox* variantNoise_ = nullptr;
    QPushButton* useResult_ = nullptr;
    QPushButton* export_ = nullptr;
    QImage sheet_;
};

// Group colours, shared by the strips and the marks on the grid.
QColor group_colour(int group);  // 0..2 = A, B, C; 3 = keyframes; 4 = the face being edited

} // namespace latentlab::explore
