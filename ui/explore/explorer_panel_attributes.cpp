// SPDX-License-Identifier: GPL-3.0-or-later
// The explorer panel's attributes: the attribute probe (opened from beside
// the checkpoint or by hand), picking the samples it scores best into the
// active group, and the face moved along attribute directions by sliders.
// LibTorch before Qt: Qt's `slots` macro breaks the torch headers.
#include "checkpoint/generator_snapshot.h"

#include <QDir>
#include <QFileInfo>

#include "explore/attribute_view.h"
#include "explore/explore_controller.h"
#include "explore/explorer_panel.h"
#include "explore/probe_training.h"

namespace latentlab::explore {

void ExplorerPanel::connectAttributes() {
    connect(controller_, &ExploreController::probeReady, this, &ExplorerPanel::onProbe);
    connect(controller_, &ExploreController::pickReady, this, &ExplorerPanel::onPick);
    connect(controller_, &ExploreController::editReady, this, [this](const EditResult& r) {
        if (!r.error.isEmpty()) return showError(r.error);
        attributes_->setEdited(r.image);
        Q_EMIT editShown();
    });
    connect(attributes_, &AttributeView::loadProbeRequested, this, [this] {
        const QString path = askPath(tr("Open an attribute probe"), tr("Attribute probes (*.llprobe)"), false);
        if (!path.isEmpty()) openProbe(path);
    });
    connect(attributes_, &AttributeView::pickRequested, this, [this] { pickBest(attributes_->wishes()); });
    connect(attributes_, &AttributeView::trainProbeRequested, this, &ExplorerPanel::trainProbe);
    connect(attributes_, &AttributeView::sortChanged, this, &ExplorerPanel::requestGrid);
    connect(attributes_, &AttributeView::amountsChanged, this, &ExplorerPanel::requestEdit);
    connect(attributes_, &AttributeView::activateRequested, this, [this] { setTarget(TargetEdit); });
    connect(attributes_, &AttributeView::addEditedRequested, this, [this](int target) {
        if (editVector_.empty()) return;
        const QString what = attributes_->editDescription();
        Pick edited{{std::nullopt, editVector_}, QImage(), what.isEmpty() ? editFace_.label : editFace_.label + QLatin1Char(' ') + what};
        if (target == TargetKeyframes) keyframes_.push_back(edited);
        else groups_[std::size_t(target)].push_back(edited);
        requestRedraw(false);  // its thumbnail
    });
}

void ExplorerPanel::findProbeBeside(const QString& checkpoint) {
    // RUN/checkpoints/ckpt.llck: a probe in the checkpoint's folder or in the run folder above it.
    // A live run's snapshot names no file: nothing to look beside.
    const QFileInfo file(checkpoint);
    const QDir folder = file.absoluteDir();
    for (const QDir& dir : {folder, QDir(folder.absoluteFilePath(QStringLiteral("..")))}) {
        const QFileInfoList probes =
            file.isFile() ? dir.entryInfoList({QStringLiteral("*.llprobe")}, QDir::Files, QDir::Time) : QFileInfoList();
        if (!probes.isEmpty()) {
            openProbe(probes.front().absoluteFilePath());  // the newest
            return;
        }
    }
    if (!probePath_.isEmpty()) openProbe(probePath_);  // the probe in use, measured on this generator
}

QString ExplorerPanel::probeFolder() const {
    if (!QFileInfo(checkpointPath_).isFile()) return {};  // e.g. a live run's snapshot
    QDir folder = QFileInfo(checkpointPath_).absoluteDir();
    if (folder.dirName() == QLatin1String("checkpoints")) folder.cdUp();  // RUN/checkpoints/x.llck: RUN
    return folder.absolutePath();
}

void ExplorerPanel::updateTrainState() {
    const bool training = probeTraining_ && probeTraining_->running();
    // Data with attributes: the built-in faces, or a CelebA folder with its attribute list.
    const bool faces = dataSpec_.startsWith(QLatin1String("synthetic"));
    const bool celeba = QFileInfo::exists(QDir(dataSpec_).filePath(QStringLiteral("list_attr_celeba.txt")));
    QString why;
    bool possible = false;
    if (!controller_->hasSnapshot()) why = tr("Open a checkpoint first");
    else if (dataSpec_.isEmpty()) why = tr("This generator's file does not say what it was trained on");
    else if (!faces && !celeba) why = tr("%1 has no attributes: probes learn the built-in faces or CelebA").arg(dataSpec_);
    else if (probeFolder().isEmpty()) why = tr("Save a checkpoint of the run first: the probe is saved beside it");
    else {
        possible = true;
        why = tr("Train a probe on %1 (about a minute) and save it as %2")
                  .arg(dataSpec_, QDir(probeFolder()).filePath(QStringLiteral("attributes.llprobe")));
    }
    attributes_->setTrainState(possible, training, why);
}

bool ExplorerPanel::trainProbe() {
    if (probeTraining_ && probeTraining_->running()) {
        probeTraining_->cancel();
        attributes_->setStatus(tr("Probe training cancelled."));
        updateTrainState();
        Q_EMIT probeOpened(false);
        return false;
    }
    updateTrainState();
    if (!controller_->hasSnapshot() || dataSpec_.isEmpty() || probeFolder().isEmpty()) {
        showError(tr("Cannot train a probe: open a run's checkpoint first"));
        return false;
    }
    if (!probeTraining_) {
        probeTraining_ = new ProbeTraining(this);
        connect(probeTraining_, &ProbeTraining::progress, this, [this](int step, int steps, double loss) {
            attributes_->setStatus(tr("Training a probe on %1: step %2 of %3, loss %4")
                                       .arg(dataSpec_).arg(step).arg(steps).arg(loss, 0, 'f', 3));
        });
        connect(probeTraining_, &ProbeTraining::finished, this, [this](bool ok, const QString& path, const QString& message) {
            updateTrainState();
            if (!ok) {
                attributes_->setStatus(tr("No attribute probe: %1").arg(message));
                showError(tr("Cannot train a probe: %1").arg(message));
                Q_EMIT probeOpened(false);
                return;
            }
            showInfo(tr("Trained %1 (%2); opening it.").arg(path, message));
            openProbe(path);
        });
    }
    probeTraining_->start(dataSpec_, imageSize_, imageChannels_, QDir(probeFolder()).filePath(QStringLiteral("attributes.llprobe")));
    attributes_->setStatus(tr("Reading %1 to train a probe…").arg(dataSpec_));
    updateTrainState();
    return true;
}

bool ExplorerPanel::openProbe(const QString& path) {
    if (!controller_->hasSnapshot()) {
        showError(tr("%1: open a checkpoint first: the probe's directions are measured on its generator").arg(path));
        return false;
    }
    ProbeRequest r;
    r.path = path;
    r.settings = settings_;
    controller_->requestProbe(r);
    attributes_->clearProbe(tr("Opening %1 and measuring its attribute directions on 1024 samples\u2026")
                                .arg(QFileInfo(path).fileName()));
    return true;
}

void ExplorerPanel::onProbe(const ProbeResult& r) {
    if (!r.error.isEmpty()) {
        probePath_.clear();
        probeNames_.clear();
        directions_.clear();
        attributes_->clearProbe(tr("No attribute probe: %1").arg(r.error));
        showError(tr("Cannot use the attribute probe: %1").arg(r.error));
        Q_EMIT probeOpened(false);
        return;
    }
    probePath_ = r.path;
    probeNames_ = r.names;
    directions_ = r.directions;
    QList<bool> usable;
    QStringList counts;
    for (int i = 0; i < r.names.size(); ++i) {
        usable << !directions_[std::size_t(i)].empty();
        counts << QStringLiteral("%1 %2").arg(r.names[i]).arg(r.with.value(i));
    }
    attributes_->setProbe(r.names, usable,
                          tr("Probe <b>%1</b>: %2 attributes. Of %3 samples it finds: %4.")
                              .arg(QFileInfo(r.path).fileName().toHtmlEscaped())
                              .arg(r.names.size())
                              .arg(r.samples)
                              .arg(counts.join(QStringLiteral(", "))));
    if (attributes_->wishes().isEmpty() && r.names.contains(QStringLiteral("Smiling")))
        attributes_->setWishes(r.names.contains(QStringLiteral("Male")) ? QStringLiteral("Smiling,-Male")
                                                                         : QStringLiteral("Smiling"));
    Q_EMIT probeOpened(true);
    requestEdit();
    if (attributes_->sortGrid()) requestGrid();
}

bool ExplorerPanel::pickBest(const QString& wishes) {
    QString reason;
    if (!controller_->hasSnapshot()) reason = tr("open a checkpoint first");
    else if (probeNames_.isEmpty()) reason = tr("open an attribute probe first (Load probe\u2026)");
    else if (wishes.trimmed().isEmpty()) reason = tr("say which attributes to look for, e.g. Smiling,-Male");
    if (!reason.isEmpty()) {
        showError(tr("Cannot pick by attribute: %1").arg(reason));
        Q_EMIT picksAdded(0);
        return false;
    }
    PickRequest r;
    r.wishes = wishes.trimmed();
    r.count = attributes_->pickCount();
    r.batches = attributes_->pickBatches();
    r.first_seed = pickSeed_;
    r.settings = settings_;
    pickSeed_ += std::uint64_t(r.batches);  // the next click looks at fresh batches
    controller_->requestPick(r);
    showInfo(tr("Scoring %1 samples for %2\u2026").arg(r.batches * 64).arg(r.wishes));
    return true;
}

void ExplorerPanel::onPick(const PickResult& r) {
    if (!r.error.isEmpty()) {
        showError(tr("Cannot pick by attribute: %1").arg(r.error));
        Q_EMIT picksAdded(0);
        return;
    }
    QStringList found;
    for (std::size_t i = 0; i < r.entries.size(); ++i) {
        const QString ref = QString::fromStdString(r.entries[i].ref->to_string());
        found << QStringLiteral("%1 (%2)").arg(ref).arg(r.scores[i], 0, 'f', 2);
        addPick({r.entries[i], r.images.value(qsizetype(i)), QStringLiteral("%1 \u00b7 %2 %3").arg(ref, r.wishes).arg(r.scores[i], 0, 'f', 2)});
    }
    const QString target = target_ == TargetKeyframes ? tr("the keyframes")
                           : target_ == TargetEdit    ? tr("the edit face")
                                                      : QString(QChar('A' + target_));
    // The references are what `latentlab-cli arithmetic --a ...` takes: the same sheet can be redone there.
    showInfo(tr("Added to %1, best for %2: %3").arg(target, r.wishes, found.join(QStringLiteral(", "))));
    Q_EMIT picksAdded(int(r.entries.size()));
}

void ExplorerPanel::setEditFace(const Pick& face) {
    editFace_ = face;
    attributes_->resetAmounts();
    attributes_->setFace(face.thumbnail, face.label);
    updateMarks();
    requestEdit();
}

void ExplorerPanel::requestEdit() {
    if (editFace_.entry.vector.empty() || !controller_->hasSnapshot()) return;
    editVector_ = editFace_.entry.vector;
    const std::vector<double> amounts = attributes_->amounts();
    for (std::size_t a = 0; a < amounts.size() && a < directions_.size(); ++a) {
        if (amounts[a] == 0.0 || directions_[a].size() != editVector_.size()) continue;
        for (std::size_t k = 0; k < editVector_.size(); ++k) editVector_[k] += float(amounts[a]) * directions_[a][k];
    }
    EditRequest r;
    r.vector = editVector_;
    r.batch_statistics = settings_.batch_statistics;
    controller_->requestEdit(r);
}

} // namespace latentlab::explore
