// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QImage>
#include <QList>
#include <QStringList>
#include <QWidget>

#include "latent/interpolation_mode.h"

class QComboBox;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;

namespace latentlab::explore {

class GroupStrip;

// Interpolation through two or more keyframes: a slider that moves
// continuously along the path (the frame follows while dragging), lerp or
// slerp, and the strip's exports. It shows; the panel asks for frames.
class InterpolationView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kSliderSteps = 1000;
    explicit InterpolationView(QWidget* parent = nullptr);

    void setKeyframes(const QList<QImage>& thumbnails, const QStringList& labels);
    void setActive(bool active);
    void setFrame(const QImage& frame, double position);
    void clearFrame(const QString& hint);

    // Position on the path: 0 = first keyframe, keyframes - 1 = last.
    double position() const;
    InterpolationMode mode() const;
    int frames() const;
    int gifDelay() const;  // centiseconds per GIF frame
    GroupStrip* strip() const { return strip_; }
    QSlider* slider() const { return slider_; }
    QImage frame() const { return frame_; }

Q_SIGNALS:
    void positionChanged();  // the slider moved (also while dragging) or the mode changed
    void removeRequested(int index);
    void activateRequested();
    void exportStripRequested();
    void exportSequenceRequested();
    void exportGifRequested();
    void frameShown(double position);  // a new frame is on screen

private:
    GroupStrip* strip_ = nullptr;
    QLabel* frameLabel_ = nullptr;
    QLabel* positionLabel_ = nullptr;
    QSlider* slider_ = nullptr;
    QComboBox* mode_ = nullptr;
    QSpinBox* frames_ = nullptr;
    QSpinBox* delay_ = nullptr;
    QList<QPushButton*> exports_;
    QImage frame_;
    int keyframes_ = 0;
};

} // namespace latentlab::explore
