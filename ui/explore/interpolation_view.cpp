// SPDX-License-Identifier: GPL-3.0-or-later
#include "explore/interpolation_view.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include "explore/arithmetic_view.h"
#include "explore/group_strip.h"

namespace latentlab::explore {
namespace {

constexpr int kFrameShown = 256;       // shown size of the current frame
constexpr int kDefaultFrames = 16;     // frames of an exported strip
constexpr int kMaxFrames = 256;
constexpr int kDefaultGifDelay = 8;    // centiseconds per GIF frame (12.5 fps)
constexpr int kKeyframeTarget = 3;     // group_colour index of the keyframes

} // namespace

InterpolationView::InterpolationView(QWidget* parent) : QWidget(parent) {
    auto* column = new QVBoxLayout(this);
    strip_ = new GroupStrip(tr("Keyframes"), group_colour(kKeyframeTarget), this);
    strip_->setObjectName(QStringLiteral("keyframeStrip"));
    strip_->setEmptyText(tr("click images in the grid, or use an arithmetic result"));
    connect(strip_, &GroupStrip::removeRequested, this, &InterpolationView::removeRequested);
    connect(strip_, &GroupStrip::activateRequested, this, &InterpolationView::activateRequested);
    column->addWidget(strip_);

    frameLabel_ = new QLabel(this);
    frameLabel_->setObjectName(QStringLiteral("interpolationFrame"));
    frameLabel_->setAlignment(Qt::AlignCenter);
    frameLabel_->setWordWrap(true);
    frameLabel_->setMinimumSize(kFrameShown, kFrameShown);
    column->addWidget(frameLabel_, 1);

    auto* sliderRow = new QHBoxLayout;
    slider_ = new QSlider(Qt::Horizontal, this);
    slider_->setObjectName(QStringLiteral("sliderInterpolation"));
    slider_->setRange(0, kSliderSteps);
    slider_->setTracking(true);  // valueChanged while dragging: the frame follows the handle
    positionLabel_ = new QLabel(this);
    positionLabel_->setObjectName(QStringLiteral("positionLabel"));
    positionLabel_->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("00.000 / 00")));
    mode_ = new QComboBox(this);
    mode_->setObjectName(QStringLiteral("modeCombo"));
    mode_->addItem(tr("slerp"), int(InterpolationMode::Slerp));
    mode_->addItem(tr("lerp"), int(InterpolationMode::Lerp));
    mode_->setToolTip(tr("slerp follows the sphere latents live on; lerp cuts straight through it"));
    sliderRow->addWidget(slider_, 1);
    sliderRow->addWidget(positionLabel_);
    sliderRow->addWidget(mode_);
    column->addLayout(sliderRow);
    connect(slider_, &QSlider::valueChanged, this, &InterpolationView::positionChanged);
    connect(mode_, &QComboBox::currentIndexChanged, this, &InterpolationView::positionChanged);

    auto* exportRow = new QHBoxLayout;
    exportRow->addWidget(new QLabel(tr("Frames:"), this));
    frames_ = new QSpinBox(this);
    frames_->setObjectName(QStringLiteral("framesSpin"));
    frames_->setRange(2, kMaxFrames);
    frames_->setValue(kDefaultFrames);
    exportRow->addWidget(frames_);
    exportRow->addWidget(new QLabel(tr("GIF delay (cs):"), this));
    delay_ = new QSpinBox(this);
    delay_->setObjectName(QStringLiteral("gifDelaySpin"));
    delay_->setRange(1, 500);
    delay_->setValue(kDefaultGifDelay);
    exportRow->addWidget(delay_);
    const struct {
        const char* name;
        QString text;
        void (InterpolationView::*signal)();
    } buttons[] = {{"exportStripButton", tr("Strip PNG\u2026"), &InterpolationView::exportStripRequested},
                   {"exportSequenceButton", tr("PNG sequence\u2026"), &InterpolationView::exportSequenceRequested},
                   {"exportGifButton", tr("GIF\u2026"), &InterpolationView::exportGifRequested}};
    for (const auto& b : buttons) {
        auto* button = new QPushButton(b.text, this);
        button->setObjectName(QString::fromLatin1(b.name));
        connect(button, &QPushButton::clicked, this, b.signal);
        exportRow->addWidget(button);
        exports_.push_back(button);
    }
    exportRow->addStretch(1);
    column->addLayout(exportRow);
    setKeyframes({}, {});
}

void InterpolationView::setKeyframes(const QList<QImage>& thumbnails, const QStringList& labels) {
    keyframes_ = static_cast<int>(thumbnails.size());
    strip_->setItems(thumbnails, labels);
    const bool usable = keyframes_ >= 2;
    slider_->setEnabled(usable);
    for (QPushButton* b : exports_) b->setEnabled(usable);
    if (!usable) clearFrame(tr("Choose two or more keyframes: make Keyframes active (key 4) and click images."));
}

void InterpolationView::setActive(bool active) { strip_->setActive(active); }

void InterpolationView::setFrame(const QImage& frame, double position) {
    frame_ = frame;
    frameLabel_->setText({});
    frameLabel_->setPixmap(QPixmap::fromImage(
        frame.scaled(kFrameShown, kFrameShown, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
    positionLabel_->setText(QStringLiteral("%1 / %2").arg(position, 0, 'f', 3).arg(qMax(keyframes_ - 1, 0)));
    Q_EMIT frameShown(position);
}

void InterpolationView::clearFrame(const QString& hint) {
    frame_ = {};
    frameLabel_->setPixmap({});
    frameLabel_->setText(hint);
    positionLabel_->clear();
}

double InterpolationView::position() const {
    return double(slider_->value()) / kSliderSteps * qMax(keyframes_ - 1, 0);
}

InterpolationMode InterpolationView::mode() const { return InterpolationMode(mode_->currentData().toInt()); }
int InterpolationView::frames() const { return frames_->value(); }
int InterpolationView::gifDelay() const { return delay_->value(); }

} // namespace latentlab::explore
