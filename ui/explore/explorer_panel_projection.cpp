// SPDX-License-Identifier: GPL-3.0-or-later
// The explorer panel's projection of the user's own images: dropped files or
// folders go to the controller's projection thread; the reconstructions show
// as they sharpen and then join the projected tiles, pickable like any other.
// LibTorch before Qt: Qt's `slots` macro breaks the torch headers.
#include "checkpoint/generator_snapshot.h"

#include <QFileInfo>
#include <QLabel>
#include <QProgressBar>

#include "explore/explore_controller.h"
#include "explore/explorer_panel.h"
#include "explore/sample_grid_view.h"

namespace latentlab::explore {
namespace {

QString fileNames(const QStringList& paths) {
    QStringList names;
    for (const QString& p : paths) names << QFileInfo(p).fileName();
    constexpr int kNamesShown = 3;
    if (names.size() <= kNamesShown) return names.join(QStringLiteral(", "));
    return QStringLiteral("%1 and %2 more").arg(names.mid(0, kNamesShown).join(QStringLiteral(", "))).arg(names.size() - kNamesShown);
}

} // namespace

void ExplorerPanel::connectProjection() {
    connect(projectedGrid_, &SampleGridView::tileClicked, this, [this](int i) {
        if (i >= 0 && i < projected_.size()) addPick(projected_[i]);  // tiles still projecting are not picks yet
    });
    connect(controller_, &ExploreController::projectProgress, this, &ExplorerPanel::onProjectProgress);
    connect(controller_, &ExploreController::projectFinished, this, &ExplorerPanel::onProjectFinished);
}

bool ExplorerPanel::projectImages(const QStringList& paths) {
    if (!controller_->hasSnapshot()) {
        showError(tr("%1: open a checkpoint first: images are projected into its generator's latent space")
                      .arg(fileNames(paths)));
        return false;
    }
    if (paths.isEmpty()) return false;
    ProjectRequest r;
    r.paths = paths;
    startProjection(r, fileNames(paths));
    return true;
}

bool ExplorerPanel::projectTrainingImages(int count) {
    if (!controller_->hasSnapshot() || dataSpec_.isEmpty()) {
        showError(controller_->hasSnapshot()
                      ? tr("Cannot project training images: this generator's file does not say what it was trained on")
                      : tr("Cannot project training images: open a checkpoint first"));
        return false;
    }
    ProjectRequest r;
    r.training_data = dataSpec_;
    r.training_count = count;
    r.seed = trainingPickSeed_++;
    startProjection(r, tr("%1 images of %2").arg(count).arg(dataSpec_));
    return true;
}

void ExplorerPanel::startProjection(ProjectRequest r, const QString& what) {
    controller_->requestProject(r);
    projectionProgress_->setRange(0, r.steps);
    projectionProgress_->setValue(0);
    projectionProgress_->setFormat(tr("Projecting %1: reading the images\u2026").arg(what));
    projectionBar_->show();
    showInfo(tr("Projecting %1 into the latent space; the reconstructions sharpen below the grid.").arg(what));
}

void ExplorerPanel::cancelProjection() {
    if (!controller_->projecting()) return;
    controller_->cancelProjection();
    projectionBar_->hide();
    showProjected();
    showInfo(tr("Projection cancelled: no image was added."));
    Q_EMIT projectionFinished(false);
}

void ExplorerPanel::showProjected(const QList<QImage>& running, const QStringList& runningNames) {
    QList<QImage> tiles;
    QStringList labels;
    for (const Pick& p : projected_) {
        tiles << p.thumbnail;
        labels << p.label;
    }
    for (int i = 0; i < running.size(); ++i) {
        tiles << running[i];
        labels << tr("%1 (projecting\u2026)").arg(QFileInfo(runningNames.value(i)).fileName());
    }
    projectedGrid_->setLabelledTiles(tiles, labels);
    projectedGrid_->setVisible(!tiles.isEmpty());
    projectedTitle_->setVisible(!tiles.isEmpty());
}

void ExplorerPanel::onProjectProgress(const ProjectProgress& p) {
    projectionProgress_->setRange(0, p.steps);
    projectionProgress_->setValue(p.step);
    projectionProgress_->setFormat(tr("Projecting %1 image(s): step %2 of %3, pixel error %4")
                                       .arg(p.names.size())
                                       .arg(p.step)
                                       .arg(p.steps)
                                       .arg(p.mean_mse, 0, 'f', 4));
    showProjected(p.reconstructions, p.names);
}

void ExplorerPanel::onProjectFinished(const ProjectResult& r) {
    projectionBar_->hide();
    if (!r.error.isEmpty()) {
        showProjected();
        showError(tr("Cannot project the images: %1").arg(r.error));
        Q_EMIT projectionFinished(false);
        return;
    }
    for (int i = 0; i < r.names.size() && i < int(r.vectors.size()); ++i) {
        const QString name = QFileInfo(r.names[i]).fileName();
        const double error = r.final_mse.empty() ? 0.0 : r.final_mse[std::size_t(i)];
        projected_.push_back({{std::nullopt, r.vectors[std::size_t(i)]}, r.reconstructions.value(i),
                              tr("%1 (projected, pixel error %2)").arg(name).arg(error, 0, 'f', 4)});
    }
    showProjected();
    QString text = tr("Projected %1: click a reconstruction to add it to the active group.").arg(fileNames(r.names));
    if (!r.skipped.isEmpty())
        text += tr(" Skipped %1 file(s) that are not usable images, e.g. %2").arg(r.skipped.size()).arg(r.skipped.front());
    showInfo(text);
    Q_EMIT projectionFinished(true);
}

} // namespace latentlab::explore
