// SPDX-License-Identifier: GPL-3.0-or-later
// The explorer panel's toolbar and grid side: how the panel is laid out.
// LibTorch before Qt: Qt's `slots` macro breaks the torch headers.
#include "checkpoint/generator_snapshot.h"

#include "explore/explorer_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QFileDialog>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QScrollArea>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include "explore/arithmetic_view.h"
#include "explore/sample_grid_view.h"

namespace latentlab::explore {
namespace {

constexpr int kDefaultCount = 64;       // as `latentlab-cli sample`
constexpr int kMaxCount = 256;
constexpr double kMaxTruncation = 4.0;  // as the CLI's --truncation range
constexpr int kProjectedColumns = 8;
constexpr int kTrainingImagesProjected = 8;  // a row of the projected tiles    // the projected images: rows as wide as the default grid's

} // namespace

QWidget* ExplorerPanel::buildToolbar() {
    auto* bar = new QWidget(this);
    auto* row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    auto* open = new QPushButton(tr("Open\u2026"), bar);
    open->setObjectName(QStringLiteral("openButton"));
    connect(open, &QPushButton::clicked, this, [this] {
        const QString path = askPath(tr("Open a checkpoint"), tr("Checkpoints (*.llck *.pth *.pt);;LatentLab checkpoints (*.llck);;PyTorch DCGAN generators (*.pth *.pt)"), false);
        if (!path.isEmpty()) openCheckpoint(path);
    });
    recent_ = new QToolButton(bar);
    recent_->setObjectName(QStringLiteral("recentButton"));
    recent_->setText(tr("Recent"));
    recent_->setPopupMode(QToolButton::InstantPopup);
    recent_->setMenu(new QMenu(recent_));
    connect(recent_->menu(), &QMenu::aboutToShow, this, [this] {
        QMenu* menu = recent_->menu();
        menu->clear();
        for (const QString& path : recentCheckpoints())
            menu->addAction(path, this, [this, path] { openCheckpoint(path); });
        if (menu->isEmpty()) menu->addAction(tr("No recent checkpoints"))->setEnabled(false);
    });
    title_ = new QLabel(tr("No checkpoint"), bar);
    title_->setObjectName(QStringLiteral("titleLabel"));

    seedField_ = new QLineEdit(QStringLiteral("1"), bar);
    seedField_->setObjectName(QStringLiteral("seedField"));
    seedField_->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-9]{1,19}")), seedField_));
    seedField_->setMaximumWidth(fontMetrics().horizontalAdvance(QStringLiteral("0000000000")));
    seedField_->setToolTip(tr("Image i of the grid is SEED:i, as in latentlab-cli sample --seed SEED"));
    connect(seedField_, &QLineEdit::editingFinished, this, &ExplorerPanel::requestGrid);
    auto* again = new QPushButton(tr("New batch"), bar);
    again->setObjectName(QStringLiteral("newBatchButton"));
    connect(again, &QPushButton::clicked, this, &ExplorerPanel::newBatch);
    count_ = new QSpinBox(bar);
    count_->setObjectName(QStringLiteral("countSpin"));
    count_->setRange(1, kMaxCount);
    count_->setValue(kDefaultCount);
    connect(count_, &QSpinBox::editingFinished, this, &ExplorerPanel::requestGrid);
    noise_ = new QComboBox(bar);
    noise_->setObjectName(QStringLiteral("noiseCombo"));
    noise_->addItems({tr("normal"), tr("uniform")});
    truncation_ = new QDoubleSpinBox(bar);
    truncation_->setObjectName(QStringLiteral("truncationSpin"));
    truncation_->setRange(0.0, kMaxTruncation);
    truncation_->setSingleStep(0.1);
    truncation_->setValue(1.0);
    truncation_->setToolTip(tr("Latents drawn from seeds are scaled by this; below 1 they lie nearer the average face"));
    batchStats_ = new QCheckBox(tr("Batch statistics"), bar);
    batchStats_->setObjectName(QStringLiteral("batchStatsCheck"));
    batchStats_->setToolTip(tr("Off: evaluation mode, batch norm uses the running averages kept during training"));
    connect(noise_, &QComboBox::currentIndexChanged, this, &ExplorerPanel::settingsChanged);
    connect(truncation_, &QDoubleSpinBox::valueChanged, this, &ExplorerPanel::settingsChanged);
    connect(batchStats_, &QCheckBox::toggled, this, &ExplorerPanel::settingsChanged);

    row->addWidget(open);
    row->addWidget(recent_);
    row->addWidget(title_, 1);
    row->addWidget(new QLabel(tr("Seed"), bar));
    row->addWidget(seedField_);
    row->addWidget(again);
    row->addWidget(new QLabel(tr("Images"), bar));
    row->addWidget(count_);
    row->addWidget(new QLabel(tr("Noise"), bar));
    row->addWidget(noise_);
    row->addWidget(new QLabel(tr("Truncation"), bar));
    row->addWidget(truncation_);
    row->addWidget(batchStats_);
    return bar;
}

QWidget* ExplorerPanel::buildGridSide() {
    auto* side = new QWidget(this);
    auto* column = new QVBoxLayout(side);
    column->setContentsMargins(0, 0, 0, 0);
    auto* selector = new QWidget(side);
    selector->setObjectName(QStringLiteral("groupSelector"));
    auto* row = new QHBoxLayout(selector);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(new QLabel(tr("Clicks add to:"), selector));
    const QString names[] = {tr("A (1)"), tr("B (2)"), tr("C (3)"), tr("Keyframes (4)"), tr("Edit (5)")};
    const char* objectNames[] = {"targetA", "targetB", "targetC", "targetKeyframes", "targetEdit"};
    for (int i = 0; i < int(targetButtons_.size()); ++i) {
        auto* b = new QPushButton(names[i], selector);
        b->setObjectName(QString::fromLatin1(objectNames[i]));
        b->setCheckable(true);
        b->setAutoExclusive(true);
        b->setStyleSheet(QStringLiteral("QPushButton:checked { background: %1; color: white; font-weight: bold }")
                             .arg(group_colour(i).name()));
        connect(b, &QPushButton::clicked, this, [this, i] { setTarget(Target(i)); });
        row->addWidget(b);
        targetButtons_[std::size_t(i)] = b;
    }
    row->addStretch(1);
    column->addWidget(selector);
    // The generated grid, and under it the user's projected images.
    auto* tiles = new QWidget(side);
    auto* tileColumn = new QVBoxLayout(tiles);
    tileColumn->setSizeConstraint(QLayout::SetFixedSize);  // the scroll area follows the grids' sizes
    tileColumn->setContentsMargins(0, 0, 0, 0);
    grid_ = new SampleGridView(tiles);
    grid_->setObjectName(QStringLiteral("sampleGrid"));
    projectedTitle_ = new QLabel(tr("<b>Your images</b>, projected into the latent space: click to pick"), tiles);
    projectedTitle_->setObjectName(QStringLiteral("projectedTitle"));
    projectedGrid_ = new SampleGridView(tiles);
    projectedGrid_->setObjectName(QStringLiteral("projectedGrid"));
    projectedGrid_->setColumns(kProjectedColumns);
    tileColumn->addWidget(grid_);
    tileColumn->addWidget(projectedTitle_);
    tileColumn->addWidget(projectedGrid_);
    projectedTitle_->hide();
    projectedGrid_->hide();
    auto* scroll = new QScrollArea(side);
    scroll->setWidget(tiles);
    scroll->setWidgetResizable(false);
    scroll->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
    scroll->setMinimumWidth(grid_->sizeHint().width() + scroll->frameWidth() * 2 + 16);
    column->addWidget(scroll, 1);
    column->addWidget(buildProjectionBar());
    return side;
}

QWidget* ExplorerPanel::buildProjectionBar() {
    auto* bar = new QWidget(this);
    auto* row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    auto* files = new QPushButton(tr("Project images…"), bar);
    files->setObjectName(QStringLiteral("projectImagesButton"));
    files->setToolTip(tr("Find the latents of your own images (or drop them on the explorer)"));
    connect(files, &QPushButton::clicked, this, [this] {
        const QStringList paths = QFileDialog::getOpenFileNames(
            this, tr("Open images to project"), {}, tr("Images (*.png *.jpg *.jpeg *.bmp *.webp *.tif *.tiff);;All files (*)"));
        if (!paths.isEmpty()) projectImages(paths);
    });
    auto* training = new QPushButton(tr("Project %1 training images").arg(kTrainingImagesProjected), bar);
    training->setObjectName(QStringLiteral("projectTrainingButton"));
    training->setToolTip(tr("Images of the data this generator was trained on, chosen at random"));
    connect(training, &QPushButton::clicked, this, [this] { projectTrainingImages(kTrainingImagesProjected); });
    row->addWidget(files);
    row->addWidget(training);
    row->addWidget(buildProjectionProgress(), 1);
    return bar;
}

QWidget* ExplorerPanel::buildProjectionProgress() {
    projectionBar_ = new QWidget(this);
    projectionBar_->setObjectName(QStringLiteral("projectionBar"));
    auto* row = new QHBoxLayout(projectionBar_);
    row->setContentsMargins(0, 0, 0, 0);
    projectionProgress_ = new QProgressBar(projectionBar_);
    projectionProgress_->setObjectName(QStringLiteral("projectionProgress"));
    auto* cancel = new QPushButton(tr("Cancel"), projectionBar_);
    cancel->setObjectName(QStringLiteral("cancelProjectionButton"));
    connect(cancel, &QPushButton::clicked, this, &ExplorerPanel::cancelProjection);
    row->addWidget(projectionProgress_, 1);
    row->addWidget(cancel);
    projectionBar_->hide();
    return projectionBar_;
}

} // namespace latentlab::explore
