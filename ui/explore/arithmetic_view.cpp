// SPDX-License-Identifier: GPL-3.0-or-later
#include "explore/arithmetic_view.h"

#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include "explore/group_strip.h"

namespace latentlab::explore {
namespace {

constexpr int kMinSheetTile = 72;     // sheet tiles are shown at least this big
constexpr int kVariantShown = 64;     // shown size of a variant
constexpr int kDefaultVariants = 6;
constexpr int kMaxVariants = 16;
constexpr double kDefaultVariantNoise = 0.25;  // standard deviation added per latent component

} // namespace

QColor group_colour(int group) {
    static const QColor colours[] = {QColor(0xd6, 0x45, 0x45), QColor(0x35, 0x6f, 0xc9), QColor(0x2f, 0x9a, 0x4a),
                                     QColor(0xb0, 0x6a, 0x00), QColor(0x7b, 0x3f, 0xb5)};
    return colours[qBound(0, group, 4)];
}

ArithmeticView::ArithmeticView(QWidget* parent) : QWidget(parent) {
    auto* column = new QVBoxLayout(this);
    const QString names[kGroupCount] = {tr("A"), tr("\u2212 B"), tr("+ C")};
    for (int g = 0; g < kGroupCount; ++g) {
        strips_[g] = new GroupStrip(names[g], group_colour(g), this);
        strips_[g]->setObjectName(QStringLiteral("groupStrip%1").arg(QChar('A' + g)));
        connect(strips_[g], &GroupStrip::removeRequested, this, [this, g](int i) { Q_EMIT removeRequested(g, i); });
        connect(strips_[g], &GroupStrip::activateRequested, this, [this, g] { Q_EMIT activateRequested(g); });
        column->addWidget(strips_[g]);
    }

    sheetLabel_ = new QLabel(this);
    sheetLabel_->setObjectName(QStringLiteral("arithmeticSheet"));
    sheetLabel_->setAlignment(Qt::AlignCenter);
    sheetLabel_->setWordWrap(true);
    sheetLabel_->setMinimumHeight(2 * kMinSheetTile);
    sheetLabel_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);  // the sheet fits the room it gets
    column->addWidget(sheetLabel_, 1);

    auto* variants = new QHBoxLayout;
    variants->addWidget(new QLabel(tr("Variants:"), this));
    variantCount_ = new QSpinBox(this);
    variantCount_->setObjectName(QStringLiteral("variantCountSpin"));
    variantCount_->setRange(0, kMaxVariants);
    variantCount_->setValue(kDefaultVariants);
    variants->addWidget(variantCount_);
    variants->addWidget(new QLabel(tr("noise \u03c3"), this));
    variantNoise_ = new QDoubleSpinBox(this);
    variantNoise_->setObjectName(QStringLiteral("variantNoiseSpin"));
    variantNoise_->setRange(0.0, 2.0);
    variantNoise_->setSingleStep(0.05);
    variantNoise_->setValue(kDefaultVariantNoise);
    variants->addWidget(variantNoise_);
    auto* reroll = new QPushButton(tr("Re-roll"), this);
    reroll->setObjectName(QStringLiteral("rerollButton"));
    reroll->setToolTip(tr("Draw new variants of the result with a little added noise"));
    variants->addWidget(reroll);
    variantRow_ = new QHBoxLayout;
    variants->addLayout(variantRow_);
    variants->addStretch(1);
    column->addLayout(variants);
    connect(reroll, &QPushButton::clicked, this, &ArithmeticView::rerollRequested);
    connect(variantCount_, &QSpinBox::valueChanged, this, &ArithmeticView::rerollRequested);

    auto* buttons = new QHBoxLayout;
    useResult_ = new QPushButton(tr("Result \u2192 keyframe"), this);
    useResult_->setObjectName(QStringLiteral("useResultButton"));
    useResult_->setToolTip(tr("Add the arithmetic result to the interpolation's keyframes"));
    export_ = new QPushButton(tr("Export PNG\u2026"), this);
    export_->setObjectName(QStringLiteral("exportArithmeticButton"));
    auto* save = new QPushButton(tr("Save latents\u2026"), this);
    save->setObjectName(QStringLiteral("saveLatentsButton"));
    auto* load = new QPushButton(tr("Load latents\u2026"), this);
    load->setObjectName(QStringLiteral("loadLatentsButton"));
    for (QPushButton* b : {useResult_, export_, save, load}) buttons->addWidget(b);
    buttons->addStretch(1);
    column->addLayout(buttons);
    connect(useResult_, &QPushButton::clicked, this, &ArithmeticView::useResultRequested);
    connect(export_, &QPushButton::clicked, this, &ArithmeticView::exportRequested);
    connect(save, &QPushButton::clicked, this, &ArithmeticView::saveRequested);
    connect(load, &QPushButton::clicked, this, &ArithmeticView::loadRequested);
    setSheet({}, tr("Pick at least one image for each of A, B and C."));
}

void ArithmeticView::setGroup(int group, const QList<QImage>& thumbnails, const QStringList& labels) {
    strips_[group]->setItems(thumbnails, labels);
}

void ArithmeticView::setActiveGroup(int group) {
    for (int g = 0; g < kGroupCount; ++g) strips_[g]->setActive(g == group);
}

void ArithmeticView::setSheet(const QImage& sheet, const QString& hint) {
    sheet_ = sheet;
    useResult_->setEnabled(!sheet.isNull());
    export_->setEnabled(!sheet.isNull());
    if (sheet.isNull()) {
        sheetLabel_->setPixmap({});
        sheetLabel_->setText(hint);
        setVariants({});
        return;
    }
    showSheet();
}

void ArithmeticView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    if (!sheet_.isNull()) showSheet();
}

void ArithmeticView::showSheet() {
    // As big as the room allows, whole multiples of the tile size where it fits (an even grid).
    const QSize room = sheetLabel_->contentsRect().size();
    int scale = 1;
    while (sheet_.width() * (scale + 1) <= room.width() && sheet_.height() * (scale + 1) <= room.height()) ++scale;
    QSize shown = sheet_.size() * scale;
    if (shown.width() > room.width() || shown.height() > room.height()) shown = shown.scaled(room, Qt::KeepAspectRatio);
    sheetLabel_->setPixmap(QPixmap::fromImage(sheet_.scaled(shown, Qt::IgnoreAspectRatio, Qt::SmoothTransformation)));
}

void ArithmeticView::setVariants(const QList<QImage>& variants) {
    while (QLayoutItem* item = variantRow_->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    for (int i = 0; i < variants.size(); ++i) {
        auto* b = new QToolButton(this);
        b->setObjectName(QStringLiteral("variantButton"));
        b->setProperty("index", i);
        b->setIcon(QPixmap::fromImage(
            variants[i].scaled(kVariantShown, kVariantShown, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
        b->setIconSize({kVariantShown, kVariantShown});
        b->setAutoRaise(true);
        b->setToolTip(tr("Variant %1: click to add it to the keyframes").arg(i + 1));
        connect(b, &QToolButton::clicked, this, [this, i] { Q_EMIT variantClicked(i); });
        variantRow_->addWidget(b);
    }
}

int ArithmeticView::variantCount() const { return variantCount_->value(); }
double ArithmeticView::variantNoise() const { return variantNoise_->value(); }

} // namespace latentlab::explore
