// SPDX-License-Identifier: GPL-3.0-or-later
// The explorer panel's files: checkpoints (opened, dropped, recent), exports
// and the chosen latents as JSON.
// LibTorch before Qt: Qt's `slots` macro breaks the torch headers.
#include "checkpoint/generator_snapshot.h"

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QSignalBlocker>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMimeData>
#include <QSettings>

#include "common/error.h"
#include "explore/arithmetic_view.h"
#include "explore/explore_controller.h"
#include "explore/explorer_panel.h"
#include "explore/interpolation_view.h"
#include "latent/latent_set_file.h"

namespace latentlab::explore {
namespace {

constexpr auto kRecentKey = "explorer/recent";
constexpr int kMaxRecent = 10;
// LatentLab checkpoints, and PyTorch DCGAN generators (state_dicts).
constexpr const char* kCheckpointSuffixes[] = {".llck", ".pth", ".pt"};

QString checkpointIn(const QMimeData* mime) {
    if (!mime || !mime->hasUrls() || mime->urls().size() != 1) return {};
    const QString file = mime->urls().front().toLocalFile();
    for (const char* suffix : kCheckpointSuffixes)
        if (file.endsWith(QLatin1String(suffix), Qt::CaseInsensitive)) return file;
    return {};
}

// Local files and folders dropped that are not a checkpoint: images to project.
QStringList imagesIn(const QMimeData* mime) {
    if (!mime || !mime->hasUrls() || !checkpointIn(mime).isEmpty()) return {};
    QStringList paths;
    for (const QUrl& url : mime->urls()) {
        if (!url.isLocalFile()) return {};
        paths << url.toLocalFile();
    }
    return paths;
}

QString labelOf(const LatentEntry& e, const QString& derived) {
    return e.ref ? QString::fromStdString(e.ref->to_string()) : derived;
}

} // namespace

void ExplorerPanel::openCheckpoint(const QString& path) {
    showInfo(tr("Opening %1 …").arg(QFileInfo(path).fileName()));
    controller_->requestLoad(path);
}

void ExplorerPanel::onLoad(const LoadResult& r) {
    if (!r.snapshot) {
        showError(tr("Cannot open the checkpoint: %1").arg(r.error));
        Q_EMIT checkpointFailed(r.path, r.error);
        return;
    }
    checkpointPath_ = r.path;
    useSnapshot(r.snapshot, QFileInfo(r.path).fileName());
    findProbeBeside(r.path);
    addRecent(QFileInfo(r.path).absoluteFilePath());
    Q_EMIT checkpointOpened(r.path);
}

QStringList ExplorerPanel::recentCheckpoints() const {
    return QSettings().value(QLatin1String(kRecentKey)).toStringList();
}

void ExplorerPanel::addRecent(const QString& path) {
    QStringList recent = recentCheckpoints();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent) recent.removeLast();
    QSettings().setValue(QLatin1String(kRecentKey), recent);
}

void ExplorerPanel::dragEnterEvent(QDragEnterEvent* event) {
    const QMimeData* mime = event->mimeData();
    if (!checkpointIn(mime).isEmpty() || (controller_->hasSnapshot() && !imagesIn(mime).isEmpty()))
        event->acceptProposedAction();
}

// A checkpoint opens; images and folders of images are projected into the
// open checkpoint's latent space.
void ExplorerPanel::dropEvent(QDropEvent* event) {
    const QString path = checkpointIn(event->mimeData());
    const QStringList images = imagesIn(event->mimeData());
    if (path.isEmpty() && images.isEmpty()) return;
    event->acceptProposedAction();
    if (!path.isEmpty()) openCheckpoint(path);
    else projectImages(images);
}

QString ExplorerPanel::askPath(const QString& title, const QString& filter, bool folder) {
    if (folder) return QFileDialog::getExistingDirectory(this, title);
    const bool opening = title.startsWith(tr("Open")) || title.startsWith(tr("Load"));
    return opening ? QFileDialog::getOpenFileName(this, title, {}, filter)
                   : QFileDialog::getSaveFileName(this, title, {}, filter);
}

bool ExplorerPanel::exportArithmeticPng(const QString& path) {
    if (groups_[0].isEmpty() || groups_[1].isEmpty() || groups_[2].isEmpty() || !controller_->hasSnapshot()) {
        showError(tr("%1: nothing to export yet: pick at least one image for each of A, B and C").arg(path));
        return false;
    }
    startExport(ExportKind::ArithmeticPng, path, 0);
    return true;
}

bool ExplorerPanel::canExportStrip(const QString& path, int frames) {
    QString reason;
    if (!controller_->hasSnapshot()) reason = tr("no checkpoint is open");
    else if (keyframes_.size() < 2) reason = tr("choose two or more keyframes first");
    else if (frames < 2) reason = tr("a strip needs at least 2 frames, not %1").arg(frames);
    if (reason.isEmpty()) return true;
    showError(QStringLiteral("%1: %2").arg(path, reason));
    return false;
}

bool ExplorerPanel::exportStripPng(const QString& path, int frames) {
    if (!canExportStrip(path, frames)) return false;
    startExport(ExportKind::StripPng, path, frames);
    return true;
}

bool ExplorerPanel::exportStripSequence(const QString& folder, int frames) {
    if (!canExportStrip(folder, frames)) return false;
    startExport(ExportKind::StripSequence, folder, frames);
    return true;
}

bool ExplorerPanel::exportStripGif(const QString& path, int frames) {
    if (!canExportStrip(path, frames)) return false;
    startExport(ExportKind::StripGif, path, frames);
    return true;
}

void ExplorerPanel::startExport(ExportKind kind, const QString& path, int frames) {
    ExportRequest r;
    r.kind = kind;
    r.path = path;
    for (int g = 0; g < kGroups; ++g)
        for (const Pick& p : groups_[g]) r.groups[g].push_back(p.entry.vector);
    for (const Pick& p : keyframes_) r.keyframes.push_back(p.entry.vector);
    r.frames = frames;
    r.mode = interpolation_->mode();
    r.batch_statistics = settings_.batch_statistics;
    r.gif_delay_cs = interpolation_->gifDelay();
    showInfo(tr("Exporting %1\u2026").arg(path));
    controller_->requestExport(r);
}

void ExplorerPanel::onExport(const ExportResult& r) {
    if (r.ok) showInfo(r.message);
    else showError(tr("Export failed: %1").arg(r.message));
    Q_EMIT exportFinished(r.path, r.ok, r.message);
}

bool ExplorerPanel::saveLatents(const QString& path) {
    LatentSet set;
    set.checkpoint = checkpointPath_.toStdString();
    set.noise = settings_.noise;
    set.truncation = settings_.truncation;
    for (int g = 0; g < kGroups; ++g)
        for (const Pick& p : groups_[g]) set.groups[g].push_back(p.entry);
    for (const Pick& p : keyframes_) set.keyframes.push_back(p.entry);
    try {
        save_latent_set(path.toStdString(), set);
    } catch (const Error& e) {
        showError(QString::fromStdString(e.what()));
        return false;
    }
    showInfo(tr("Saved the chosen latents to %1").arg(path));
    return true;
}

bool ExplorerPanel::loadLatents(const QString& path) {
    LatentSet set;
    try {
        set = load_latent_set(path.toStdString(), nz_);
    } catch (const Error& e) {
        showError(tr("Cannot load the latents: %1").arg(QString::fromStdString(e.what())));
        return false;
    }
    const auto toPicks = [](const std::vector<LatentEntry>& entries, const QString& derived) {
        QList<Pick> picks;
        for (const LatentEntry& e : entries) picks.push_back({e, QImage(), labelOf(e, derived)});
        return picks;
    };
    for (int g = 0; g < kGroups; ++g) groups_[g] = toPicks(set.groups[g], tr("saved vector"));
    keyframes_ = toPicks(set.keyframes, tr("saved vector"));
    // The file's settings say what its references mean; the vectors are used as saved.
    {
        const QSignalBlocker quietNoise(noise_), quietTruncation(truncation_);
        noise_->setCurrentIndex(set.noise == NoiseKind::Normal ? 0 : 1);
        truncation_->setValue(set.truncation);
    }
    settings_ = settingsFromControls();
    requestGrid();
    picksChanged(false);
    requestRedraw(false);
    showInfo(tr("Loaded %1 latents from %2").arg(set.groups[0].size() + set.groups[1].size() + set.groups[2].size() +
                                                  set.keyframes.size())
                 .arg(path));
    return true;
}

} // namespace latentlab::explore
