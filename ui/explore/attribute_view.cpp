// SPDX-License-Identifier: GPL-3.0-or-later
#include "explore/attribute_view.h"

#include <cmath>

#include <QCheckBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMouseEvent>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include "explore/arithmetic_view.h"

namespace latentlab::explore {
namespace {

constexpr int kSliderSteps = 10;   // slider units per unit of amount
constexpr double kMaxAmount = 3.0; // directions are mean differences: 3 goes well past the typical face
constexpr int kFaceShown = 128;
constexpr int kDefaultPicks = 3;   // the lecture's "three smiling women"
constexpr int kDefaultBatches = 4;
constexpr int kMaxPicks = 64;
constexpr int kMaxBatches = 256;
constexpr int kEditTarget = 4;     // group_colour index of the edit face

QString signedAmount(double a) { return QString::asprintf("%+.1f", a); }

QPixmap shown(const QImage& image) {
    return QPixmap::fromImage(image.scaled(kFaceShown, kFaceShown, Qt::KeepAspectRatio, Qt::FastTransformation));
}

} // namespace

AttributeView::AttributeView(QWidget* parent) : QWidget(parent) {
    auto* column = new QVBoxLayout(this);
    auto* probeRow = new QHBoxLayout;
    probeStatus_ = new QLabel(this);
    probeStatus_->setObjectName(QStringLiteral("probeStatus"));
    probeStatus_->setWordWrap(true);
    auto* load = new QPushButton(tr("Load probe\u2026"), this);
    load->setObjectName(QStringLiteral("loadProbeButton"));
    load->setToolTip(tr("An attribute probe (.llprobe) made by latentlab-cli probe; one beside the checkpoint or in "
                        "its run folder opens by itself"));
    connect(load, &QPushButton::clicked, this, &AttributeView::loadProbeRequested);
    train_ = new QPushButton(this);
    train_->setObjectName(QStringLiteral("trainProbeButton"));
    connect(train_, &QPushButton::clicked, this, &AttributeView::trainProbeRequested);
    setTrainState(false, false);
    probeRow->addWidget(probeStatus_, 1);
    probeRow->addWidget(train_);
    probeRow->addWidget(load);
    column->addLayout(probeRow);
    column->addWidget(buildPickBox());
    column->addWidget(buildEditBox(), 1);
    clearProbe(tr("No attribute probe. Make one with latentlab-cli probe --data DATA --image-size SIZE --out "
                  "attributes.llprobe, put it in the run folder, or load it here."));
}

QWidget* AttributeView::buildPickBox() {
    auto* box = new QGroupBox(tr("Pick by attribute"), this);
    auto* row = new QHBoxLayout(box);
    wishes_ = new QLineEdit(box);
    wishes_->setObjectName(QStringLiteral("wishesField"));
    wishes_->setPlaceholderText(tr("e.g. Smiling,-Male"));
    count_ = new QSpinBox(box);
    count_->setObjectName(QStringLiteral("pickCountSpin"));
    count_->setRange(1, kMaxPicks);
    count_->setValue(kDefaultPicks);
    batches_ = new QSpinBox(box);
    batches_->setObjectName(QStringLiteral("pickBatchesSpin"));
    batches_->setRange(1, kMaxBatches);
    batches_->setValue(kDefaultBatches);
    batches_->setToolTip(tr("Fresh batches of 64 samples scored by the probe; each click draws new ones"));
    pick_ = new QPushButton(box);
    pick_->setObjectName(QStringLiteral("pickButton"));
    connect(pick_, &QPushButton::clicked, this, &AttributeView::pickRequested);
    connect(wishes_, &QLineEdit::returnPressed, this, &AttributeView::pickRequested);
    row->addWidget(new QLabel(tr("Want"), box));
    row->addWidget(wishes_, 1);
    row->addWidget(new QLabel(tr("best"), box));
    row->addWidget(count_);
    row->addWidget(new QLabel(tr("of"), box));
    row->addWidget(batches_);
    row->addWidget(new QLabel(tr("\u00d7 64"), box));
    row->addWidget(pick_);
    sort_ = new QCheckBox(tr("Sort the grid by it"), box);
    sort_->setObjectName(QStringLiteral("sortGridCheck"));
    sort_->setToolTip(tr("Best match first; each tile keeps its SEED:INDEX, and its tooltip shows the score"));
    connect(sort_, &QCheckBox::toggled, this, &AttributeView::sortChanged);
    connect(wishes_, &QLineEdit::editingFinished, this, [this] {
        if (sort_->isChecked()) Q_EMIT sortChanged();
    });
    row->addWidget(sort_);
    setPickTarget(QStringLiteral("A"));
    return box;
}

QWidget* AttributeView::buildEditBox() {
    editBox_ = new QGroupBox(tr("Edit a face along attribute directions (Edit (5), then click a face)"), this);
    auto* column = new QVBoxLayout(editBox_);
    auto* faces = new QHBoxLayout;
    face_ = new QLabel(editBox_);
    face_->setObjectName(QStringLiteral("editFace"));
    edited_ = new QLabel(editBox_);
    edited_->setObjectName(QStringLiteral("editedFace"));
    for (QLabel* l : {face_, edited_}) {
        l->setFixedSize(kFaceShown, kFaceShown);
        l->setAlignment(Qt::AlignCenter);
        l->setFrameShape(QFrame::StyledPanel);
    }
    faceLabel_ = new QLabel(tr("No face chosen"), editBox_);
    faceLabel_->setObjectName(QStringLiteral("editFaceLabel"));
    faceLabel_->setWordWrap(true);
    faces->addWidget(face_);
    faces->addWidget(new QLabel(QStringLiteral("\u2192"), editBox_));
    faces->addWidget(edited_);
    faces->addWidget(faceLabel_, 1);
    column->addLayout(faces);
    sliders_ = new QVBoxLayout;
    column->addLayout(sliders_);
    auto* addRow = new QHBoxLayout;
    auto* reset = new QPushButton(tr("Reset"), editBox_);
    reset->setObjectName(QStringLiteral("resetEditButton"));
    connect(reset, &QPushButton::clicked, this, [this] {
        resetAmounts();
        Q_EMIT amountsChanged();
    });
    addRow->addWidget(reset);
    addRow->addStretch(1);
    addRow->addWidget(new QLabel(tr("Add the edited face to"), editBox_));
    const QString targets[] = {tr("A"), tr("B"), tr("C"), tr("Keyframes")};
    for (int t = 0; t < 4; ++t) {
        auto* b = new QPushButton(targets[t], editBox_);
        b->setObjectName(QStringLiteral("addEdited%1").arg(t));
        b->setEnabled(false);
        connect(b, &QPushButton::clicked, this, [this, t] { Q_EMIT addEditedRequested(t); });
        addRow->addWidget(b);
        addButtons_ << b;
    }
    column->addLayout(addRow);
    column->addStretch(1);
    return editBox_;
}

void AttributeView::clearProbe(const QString& status) { setProbe({}, {}, status); }

void AttributeView::setStatus(const QString& status) { probeStatus_->setText(status); }

void AttributeView::setTrainState(bool possible, bool training, const QString& tooltip) {
    train_->setText(training ? tr("Cancel training") : tr("Train a probe"));
    train_->setEnabled(possible || training);
    train_->setToolTip(tooltip);
}

void AttributeView::setProbe(const QStringList& names, const QList<bool>& usable, const QString& status) {
    names_ = names;
    probeStatus_->setText(status);
    wishes_->setToolTip(names.isEmpty() ? QString()
                                        : tr("Attributes of this probe (a leading \u2212 wants it absent): %1")
                                              .arg(names.join(QStringLiteral(", "))));
    pick_->setEnabled(!names.isEmpty());
    sort_->setEnabled(!names.isEmpty());
    wishes_->setEnabled(!names.isEmpty());
    delete slidersHost_;  // the previous probe's sliders
    sliderList_.clear();
    valueLabels_.clear();
    slidersHost_ = new QWidget(editBox_);
    auto* grid = new QGridLayout(slidersHost_);
    grid->setContentsMargins(0, 0, 0, 0);
    for (int i = 0; i < names.size(); ++i) {
        auto* name = new QLabel(names[i], slidersHost_);
        auto* slider = new QSlider(Qt::Horizontal, slidersHost_);
        slider->setObjectName(QStringLiteral("attributeSlider_%1").arg(names[i]));
        slider->setRange(int(-kMaxAmount * kSliderSteps), int(kMaxAmount * kSliderSteps));
        slider->setTracking(true);  // the face follows the handle while dragging
        const bool ok = usable.value(i, false);
        slider->setEnabled(ok);
        if (!ok) slider->setToolTip(tr("No direction: the probe found %1 in all or none of the samples").arg(names[i]));
        auto* value = new QLabel(signedAmount(0.0), slidersHost_);
        value->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("+0.0 ")));
        connect(slider, &QSlider::valueChanged, this, [this, value](int v) {
            value->setText(signedAmount(double(v) / kSliderSteps));
            Q_EMIT amountsChanged();
        });
        grid->addWidget(name, i, 0);
        grid->addWidget(slider, i, 1);
        grid->addWidget(value, i, 2);
        sliderList_ << slider;
        valueLabels_ << value;
    }
    sliders_->addWidget(slidersHost_);
}

void AttributeView::setPickTarget(const QString& target) {
    pick_->setText(tr("Add the best to %1").arg(target));
}

QString AttributeView::wishes() const { return wishes_->text().trimmed(); }
void AttributeView::setWishes(const QString& wishes) { wishes_->setText(wishes); }
int AttributeView::pickCount() const { return count_->value(); }
int AttributeView::pickBatches() const { return batches_->value(); }
bool AttributeView::sortGrid() const { return sort_->isEnabled() && sort_->isChecked(); }

void AttributeView::setFace(const QImage& face, const QString& label) {
    face_->setPixmap(face.isNull() ? QPixmap() : shown(face));
    edited_->setPixmap(face.isNull() ? QPixmap() : shown(face));
    faceLabel_->setText(label.isEmpty() ? tr("No face chosen") : label);
    for (QPushButton* b : addButtons_) b->setEnabled(!face.isNull());
}

void AttributeView::setEdited(const QImage& edited) { edited_->setPixmap(shown(edited)); }

void AttributeView::setActive(bool active) {
    editBox_->setStyleSheet(active ? QStringLiteral("QGroupBox { border: 2px solid %1; border-radius: 4px; "
                                                    "margin-top: 1.2em } QGroupBox::title { subcontrol-origin: margin; "
                                                    "left: 8px; color: %1 }")
                                         .arg(group_colour(kEditTarget).name())
                                   : QString());
}

void AttributeView::mousePressEvent(QMouseEvent* event) {
    if (editBox_->geometry().contains(event->position().toPoint())) Q_EMIT activateRequested();
    QWidget::mousePressEvent(event);
}

std::vector<double> AttributeView::amounts() const {
    std::vector<double> out;
    for (const QSlider* s : sliderList_) out.push_back(double(s->value()) / kSliderSteps);
    return out;
}

void AttributeView::setAmount(int attribute, double amount) {
    if (attribute >= 0 && attribute < sliderList_.size())
        sliderList_[attribute]->setValue(int(std::lround(amount * kSliderSteps)));
}

void AttributeView::resetAmounts() {
    for (int i = 0; i < sliderList_.size(); ++i) {
        const QSignalBlocker quiet(sliderList_[i]);
        sliderList_[i]->setValue(0);
        valueLabels_[i]->setText(signedAmount(0.0));
    }
}

QString AttributeView::editDescription() const {
    QStringList parts;
    const std::vector<double> a = amounts();
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i] != 0.0) parts << QStringLiteral("%1 %2").arg(signedAmount(a[i]), names_[int(i)]);
    return parts.join(QLatin1Char(' '));
}

} // namespace latentlab::explore
