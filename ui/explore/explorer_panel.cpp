// SPDX-License-Identifier: GPL-3.0-or-later
// LibTorch before Qt: Qt's `slots` macro breaks the torch headers.
#include "checkpoint/generator_snapshot.h"

#include "explore/explorer_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QRandomGenerator>
#include <QRegularExpressionValidator>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <numeric>

#include "common/error.h"
#include "explore/arithmetic_view.h"
#include "explore/attribute_view.h"
#include "explore/explore_controller.h"
#include "explore/interpolation_view.h"
#include "explore/sample_grid_view.h"

namespace latentlab::explore {
ExplorerPanel::ExplorerPanel(QWidget* parent) : QWidget(parent), controller_(new ExploreController(this)) {
    setAcceptDrops(true);
    auto* column = new QVBoxLayout(this);
    column->addWidget(buildToolbar());
    message_ = new QLabel(this);
    message_->setObjectName(QStringLiteral("messageLabel"));
    message_->setWordWrap(true);
    message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    column->addWidget(message_);

    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(buildGridSide());
    tabs_ = new QTabWidget(split);
    tabs_->setObjectName(QStringLiteral("exploreTabs"));
    arithmetic_ = new ArithmeticView(tabs_);
    interpolation_ = new InterpolationView(tabs_);
    tabs_->addTab(arithmetic_, tr("Vector arithmetic"));
    attributes_ = new AttributeView(tabs_);
    tabs_->addTab(interpolation_, tr("Interpolation"));
    tabs_->addTab(attributes_, tr("Attributes"));
    split->addWidget(tabs_);
    split->setStretchFactor(1, 1);
    column->addWidget(split, 1);

    connect(grid_, &SampleGridView::tileClicked, this, [this](int i) {
        if (i < 0 || i >= int(gridVectors_.size())) return;
        const LatentRef ref{gridSeed_, i};
        addPick({{ref, gridVectors_[std::size_t(i)]}, grid_->tile(i), QString::fromStdString(ref.to_string())});
    });
    connect(arithmetic_, &ArithmeticView::removeRequested, this, &ExplorerPanel::removePick);
    connect(arithmetic_, &ArithmeticView::activateRequested, this, [this](int g) { setTarget(Target(g)); });
    connect(arithmetic_, &ArithmeticView::rerollRequested, this, [this] {
        ++variantSeed_;
        requestArithmetic();
    });
    connect(arithmetic_, &ArithmeticView::useResultRequested, this, [this] {
        if (!resultVector_.empty()) keyframes_.push_back({{std::nullopt, resultVector_}, resultImage_, tr("A \u2212 B + C")});
        picksChanged();
    });
    connect(arithmetic_, &ArithmeticView::variantClicked, this, [this](int i) {
        if (i >= int(variantVectors_.size())) return;
        keyframes_.push_back({{std::nullopt, variantVectors_[std::size_t(i)]}, variantImages_.value(i),
                              tr("variant %1 of A \u2212 B + C").arg(i + 1)});
        picksChanged();
    });
    connect(arithmetic_, &ArithmeticView::exportRequested, this, [this] {
        const QString path = askPath(tr("Export the arithmetic sheet"), tr("PNG images (*.png)"));
        if (!path.isEmpty()) exportArithmeticPng(path);
    });
    connect(arithmetic_, &ArithmeticView::saveRequested, this, [this] {
        const QString path = askPath(tr("Save the chosen latents"), tr("Latents (*.json)"));
        if (!path.isEmpty()) saveLatents(path);
    });
    connect(arithmetic_, &ArithmeticView::loadRequested, this, [this] {
        const QString path = askPath(tr("Load latents"), tr("Latents (*.json)"), false);
        if (!path.isEmpty()) loadLatents(path);
    });
    connect(interpolation_, &InterpolationView::positionChanged, this, &ExplorerPanel::requestFrame);
    connect(interpolation_, &InterpolationView::removeRequested, this,
            [this](int i) { removePick(TargetKeyframes, i); });
    connect(interpolation_, &InterpolationView::activateRequested, this, [this] { setTarget(TargetKeyframes); });
    connect(interpolation_, &InterpolationView::exportStripRequested, this, [this] {
        const QString path = askPath(tr("Export the strip"), tr("PNG images (*.png)"));
        if (!path.isEmpty()) exportStripPng(path, interpolation_->frames());
    });
    connect(interpolation_, &InterpolationView::exportSequenceRequested, this, [this] {
        const QString folder = askPath(tr("Export frames into a folder"), {}, true);
        if (!folder.isEmpty()) exportStripSequence(folder, interpolation_->frames());
    });
    connect(interpolation_, &InterpolationView::exportGifRequested, this, [this] {
        const QString path = askPath(tr("Export an animated GIF"), tr("GIF images (*.gif)"));
        if (!path.isEmpty()) exportStripGif(path, interpolation_->frames());
    });

    connect(controller_, &ExploreController::loadFinished, this, &ExplorerPanel::onLoad);
    connect(controller_, &ExploreController::gridReady, this, &ExplorerPanel::onGrid);
    connect(controller_, &ExploreController::arithmeticReady, this, &ExplorerPanel::onArithmetic);
    connect(controller_, &ExploreController::redrawReady, this, &ExplorerPanel::onRedraw);
    connect(controller_, &ExploreController::exportFinished, this, &ExplorerPanel::onExport);
    connectAttributes();
    connectProjection();
    connect(controller_, &ExploreController::frameReady, this, [this](const FrameResult& r) {
        if (!r.error.isEmpty()) showError(r.error);
        else if (keyframes_.size() >= 2) interpolation_->setFrame(r.frame, r.position);
    });
    setTarget(TargetA);
    showInfo(tr("Open a checkpoint (.llck, or a PyTorch DCGAN generator .pth): use Open, the recent list, or drop the "
                "file here. Then drop your own images here to project them into its latent space."));
}

ExplorerPanel::~ExplorerPanel() = default;  // the controller, a child, stops its thread

QString ExplorerPanel::message() const { return message_->text(); }

void ExplorerPanel::showError(const QString& text) {
    message_->setStyleSheet(QStringLiteral("color: #b00020; font-weight: bold"));
    message_->setText(text);
    Q_EMIT statusMessage(text);
}

void ExplorerPanel::showInfo(const QString& text) {
    message_->setStyleSheet({});
    message_->setText(text);
    Q_EMIT statusMessage(text);
}

void ExplorerPanel::setSnapshot(std::shared_ptr<GeneratorSnapshot> snapshot, const QString& title) {
    if (!snapshot) return;
    checkpointPath_ = QString::fromStdString(snapshot->path);
    useSnapshot(std::move(snapshot), title);
    findProbeBeside(checkpointPath_);
}

void ExplorerPanel::useSnapshot(std::shared_ptr<GeneratorSnapshot> snapshot, const QString& title) {
    const std::int64_t nz = snapshot->model.nz;
    const int size = snapshot->model.image_size;
    imageSize_ = size;
    imageChannels_ = snapshot->model.channels;
    const nlohmann::json& config = snapshot->meta.contains("config") ? snapshot->meta["config"] : nlohmann::json();
    dataSpec_ = config.is_object() && config.contains("data") && config["data"].is_string()
                    ? QString::fromStdString(config["data"].get<std::string>())
                    : QString();
    const bool wasProjecting = controller_->projecting();
    controller_->setSnapshot(std::move(snapshot));  // stops a projection into the previous generator
    title_->setText(QStringLiteral("<b>%1</b> \u00b7 %2\u00d7%2, nz %3").arg(title.toHtmlEscaped()).arg(size).arg(nz));
    const bool keepPicks = nz == nz_;
    nz_ = nz;
    gridVectors_.clear();
    grid_->clear();
    // Projected latents reconstruct their images in the generator they were found in only.
    if (wasProjecting) Q_EMIT projectionFinished(false);
    projectionBar_->hide();
    projected_.clear();
    showProjected();
    if (!keepPicks) {
        for (auto& g : groups_) g.clear();
        keyframes_.clear();
        editFace_ = {};
        attributes_->setFace({}, {});
    }
    // The directions belong to a generator: measured again on this one.
    directions_.clear();
    probeNames_.clear();
    attributes_->clearProbe(tr("No attribute probe for this generator yet."));
    updateTrainState();
    showInfo(tr("Exploring %1. Click images to add them to the active group (keys 1, 2, 3; 4 = keyframes).").arg(title));
    requestGrid();
    picksChanged(false);
    if (keepPicks) requestRedraw(false);  // the same latents through the new generator
}

DrawSettings ExplorerPanel::settingsFromControls() const {
    DrawSettings s;
    s.noise = noise_->currentIndex() == 0 ? NoiseKind::Normal : NoiseKind::Uniform;
    s.truncation = truncation_->value();
    s.batch_statistics = batchStats_->isChecked();
    return s;
}

void ExplorerPanel::settingsChanged() {
    const DrawSettings before = settings_;
    settings_ = settingsFromControls();
    if (before == settings_) return;
    requestGrid();
    // Under other noise or truncation SEED:INDEX names other vectors: draw them again.
    const bool refsMoved = before.noise != settings_.noise || before.truncation != settings_.truncation;
    requestRedraw(refsMoved);
}

void ExplorerPanel::newBatch() {
    seedField_->setText(QString::number(QRandomGenerator::global()->bounded(1000000)));
    requestGrid();
}

void ExplorerPanel::requestGrid() {
    if (!controller_->hasSnapshot()) return;
    GridRequest r;
    r.seed = seedField_->text().toULongLong();
    r.count = count_->value();
    r.settings = settings_;
    if (attributes_->sortGrid() && !probeNames_.isEmpty()) r.sort_wishes = attributes_->wishes();
    controller_->requestGrid(r);
}

void ExplorerPanel::onGrid(const GridResult& r) {
    if (!r.error.isEmpty()) return showError(r.error);
    gridSeed_ = r.seed;
    gridVectors_ = r.vectors;
    grid_->setTiles(r.seed, r.tiles);
    if (!r.sort_error.isEmpty()) showError(tr("Cannot sort the grid by %1: %2").arg(r.sort_wishes, r.sort_error));
    if (!r.scores.empty()) {
        // Best first; equal scores keep the drawing order, as `pick` ranks them.
        QList<int> order(qsizetype(r.scores.size()));
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return r.scores[std::size_t(a)] > r.scores[std::size_t(b)]; });
        QStringList notes;
        for (double s : r.scores) notes << QStringLiteral("%1 %2").arg(r.sort_wishes).arg(s, 0, 'f', 2);
        grid_->setOrder(order, notes);
    }
    updateMarks();
    Q_EMIT gridShown();
}

void ExplorerPanel::setTarget(Target target) {
    target_ = target;
    for (int i = 0; i < int(targetButtons_.size()); ++i) targetButtons_[i]->setChecked(i == target);
    arithmetic_->setActiveGroup(target < kGroups ? int(target) : -1);
    interpolation_->setActive(target == TargetKeyframes);
    attributes_->setActive(target == TargetEdit);
    if (target != TargetEdit) attributes_->setPickTarget(target == TargetKeyframes ? tr("keyframes") : QString(QChar('A' + target)));
    // Picking by attribute happens on the attribute tab: it stays in view while the group changes.
    if (target == TargetEdit) tabs_->setCurrentWidget(attributes_);
    else if (tabs_->currentWidget() != attributes_)
        tabs_->setCurrentWidget(target == TargetKeyframes ? static_cast<QWidget*>(interpolation_) : arithmetic_);
}

void ExplorerPanel::addPick(Pick pick) {
    if (target_ == TargetEdit) return setEditFace(pick);
    if (target_ == TargetKeyframes) keyframes_.push_back(std::move(pick));
    else groups_[target_].push_back(std::move(pick));
    picksChanged();
}

void ExplorerPanel::removePick(int target, int index) {
    QList<Pick>& list = target == TargetKeyframes ? keyframes_ : groups_[std::size_t(target)];
    if (index < 0 || index >= list.size()) return;
    list.removeAt(index);
    picksChanged();
}

void ExplorerPanel::picksChanged(bool drawAgain) {
    ++revision_;
    for (int g = 0; g < kGroups; ++g) {
        QList<QImage> thumbs;
        QStringList labels;
        for (const Pick& p : groups_[g]) {
            thumbs << p.thumbnail;
            labels << p.label;
        }
        arithmetic_->setGroup(g, thumbs, labels);
    }
    QList<QImage> thumbs;
    QStringList labels;
    for (const Pick& p : keyframes_) {
        thumbs << p.thumbnail;
        labels << p.label;
    }
    interpolation_->setKeyframes(thumbs, labels);
    updateMarks();
    if (!drawAgain) return;
    requestArithmetic();
    requestFrame();
}

void ExplorerPanel::updateMarks() {
    QHash<int, SampleGridView::Mark> marks;
    const auto mark = [&](const Pick& p, int target, const QString& letter) {
        if (!p.entry.ref || p.entry.ref->seed != gridSeed_ || p.entry.ref->index >= grid_->count()) return;
        auto& m = marks[int(p.entry.ref->index)];
        if (m.label.isEmpty()) m.colour = group_colour(target);
        if (!m.label.contains(letter)) m.label += letter;
    };
    for (int g = 0; g < kGroups; ++g)
        for (const Pick& p : groups_[g]) mark(p, g, QString(QChar('A' + g)));
    for (const Pick& p : keyframes_) mark(p, TargetKeyframes, QStringLiteral("K"));
    mark(editFace_, TargetEdit, QStringLiteral("E"));
    grid_->setMarks(marks);
}

void ExplorerPanel::requestArithmetic() {
    const bool complete = !groups_[0].isEmpty() && !groups_[1].isEmpty() && !groups_[2].isEmpty();
    if (!complete || !controller_->hasSnapshot()) {
        resultVector_.clear();
        arithmetic_->setSheet({}, tr("Pick at least one image for each of A, B and C: the result is "
                                     "mean(A) \u2212 mean(B) + mean(C)."));
        return;
    }
    ArithmeticRequest r;
    for (int g = 0; g < kGroups; ++g)
        for (const Pick& p : groups_[g]) r.groups[g].push_back(p.entry.vector);
    r.batch_statistics = settings_.batch_statistics;
    r.variants = arithmetic_->variantCount();
    r.variant_noise = arithmetic_->variantNoise();
    r.variant_seed = variantSeed_;
    controller_->requestArithmetic(r);
}

void ExplorerPanel::onArithmetic(const ArithmeticResult& r) {
    if (!r.error.isEmpty()) return showError(r.error);
    resultVector_ = r.result_vector;
    resultImage_ = r.result;
    variantVectors_ = r.variant_vectors;
    variantImages_ = r.variants;
    arithmetic_->setSheet(r.sheet);
    arithmetic_->setVariants(r.variants);
    Q_EMIT arithmeticShown();
}

void ExplorerPanel::requestFrame() {
    if (keyframes_.size() < 2 || !controller_->hasSnapshot()) return;
    FrameRequest r;
    for (const Pick& p : keyframes_) r.keyframes.push_back(p.entry.vector);
    r.position = interpolation_->position();
    r.mode = interpolation_->mode();
    r.batch_statistics = settings_.batch_statistics;
    controller_->requestFrame(r);
}

void ExplorerPanel::requestRedraw(bool resolveRefs) {
    resolvePending_ = resolvePending_ || resolveRefs;
    RedrawRequest r;
    r.revision = revision_;
    r.resolve_refs = resolvePending_;
    r.settings = settings_;
    for (const auto& g : groups_)
        for (const Pick& p : g) r.entries.push_back(p.entry);
    for (const Pick& p : keyframes_) r.entries.push_back(p.entry);
    if (r.entries.empty() || !controller_->hasSnapshot()) {
        resolvePending_ = false;
        return picksChanged();
    }
    controller_->requestRedraw(r);
}

void ExplorerPanel::onRedraw(const RedrawResult& r) {
    if (!r.error.isEmpty()) return showError(r.error);
    if (r.revision != revision_) return requestRedraw(false);  // the picks changed meanwhile: again
    resolvePending_ = false;
    std::size_t i = 0;
    for (auto& g : groups_)
        for (Pick& p : g) {
            p.entry = r.entries[i];
            p.thumbnail = r.images.value(qsizetype(i++));
        }
    for (Pick& p : keyframes_) {
        p.entry = r.entries[i];
        p.thumbnail = r.images.value(qsizetype(i++));
    }
    picksChanged();
}

void ExplorerPanel::keyPressEvent(QKeyEvent* event) {
    static const std::pair<int, Target> keys[] = {
        {Qt::Key_1, TargetA}, {Qt::Key_2, TargetB}, {Qt::Key_3, TargetC}, {Qt::Key_4, TargetKeyframes}, {Qt::Key_5, TargetEdit}};
    for (const auto& [key, target] : keys)
        if (event->key() == key && !(event->modifiers() & ~Qt::KeypadModifier)) {
            setTarget(target);
            event->accept();
            return;
        }
    QWidget::keyPressEvent(event);
}

} // namespace latentlab::explore
