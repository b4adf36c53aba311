// SPDX-License-Identifier: GPL-3.0-or-later
// LibTorch before Qt: Qt's `slots` macro breaks the torch headers.
#include "checkpoint/generator_snapshot.h"

#include "explore/explore_controller.h"

#include "explore/generation_worker.h"

namespace latentlab::explore {

ExploreController::ExploreController(QObject* parent) : QObject(parent) {
    qRegisterMetaType<LoadResult>();
    qRegisterMetaType<GridResult>();
    qRegisterMetaType<ArithmeticResult>();
    qRegisterMetaType<FrameResult>();
    qRegisterMetaType<RedrawResult>();
    qRegisterMetaType<ExportResult>();
    qRegisterMetaType<ProbeResult>();
    qRegisterMetaType<PickResult>();
    qRegisterMetaType<EditResult>();
    qRegisterMetaType<ProjectProgress>();
    qRegisterMetaType<ProjectResult>();

    worker_ = new GenerationWorker;
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::started, worker_, &GenerationWorker::run);
    // Qt's recipe: the worker is deleted on its own thread when the thread finishes.
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);

    // Results arrive queued on this (the GUI) thread; stale ones stop here.
    connect(worker_, &GenerationWorker::loadFinished, this, [this](const LoadResult& r) {
        if (r.serial == load_asked_) Q_EMIT loadFinished(r);  // a file opened after it supersedes it
    });
    connect(worker_, &GenerationWorker::gridReady, this, [this](const GridResult& r) {
        if (r.serial == grid_asked_) Q_EMIT gridReady(r);
    });
    connect(worker_, &GenerationWorker::arithmeticReady, this, [this](const ArithmeticResult& r) {
        if (r.serial == arithmetic_asked_) Q_EMIT arithmeticReady(r);
    });
    connect(worker_, &GenerationWorker::redrawReady, this, [this](const RedrawResult& r) {
        if (r.serial == redraw_asked_) Q_EMIT redrawReady(r);
    });
    connect(worker_, &GenerationWorker::frameReady, this, [this](const FrameResult& r) {
        // Frames older than the one on screen are dropped; newer ones show while dragging.
        if (r.serial <= frame_shown_) return;
        frame_shown_ = r.serial;
        Q_EMIT frameReady(r);
    });
    connect(worker_, &GenerationWorker::exportFinished, this, &ExploreController::exportFinished);
    connect(worker_, &GenerationWorker::probeReady, this, [this](const ProbeResult& r) {
        if (r.serial == probe_asked_) Q_EMIT probeReady(r);
    });
    connect(worker_, &GenerationWorker::pickReady, this, [this](const PickResult& r) {
        if (r.serial == pick_asked_) Q_EMIT pickReady(r);
    });
    connect(worker_, &GenerationWorker::editReady, this, [this](const EditResult& r) {
        if (r.serial <= edit_shown_) return;
        edit_shown_ = r.serial;
        Q_EMIT editReady(r);
    });
    // Emitted on the projection's thread: queued here.
    connect(worker_, &GenerationWorker::projectProgress, this, [this](const ProjectProgress& p) {
        if (p.serial == project_asked_ && projectCancel_) Q_EMIT projectProgress(p);
    });
    connect(worker_, &GenerationWorker::projectFinished, this, [this](const ProjectResult& r) {
        if (r.serial != project_asked_ || !projectCancel_) return;
        projectCancel_.reset();
        Q_EMIT projectFinished(r);
    });
    thread_.setObjectName(QStringLiteral("explorer generation"));
    thread_.start();
}

ExploreController::~ExploreController() {
    if (projectCancel_) projectCancel_->store(true);
    worker_->stop();  // the loop ends after the job in progress; exports are cancelled
    thread_.requestInterruption();
    thread_.quit();
    thread_.wait();
}

void ExploreController::setSnapshot(std::shared_ptr<GeneratorSnapshot> snapshot) {
    has_snapshot_ = snapshot != nullptr;
    // Results for the previous generator are stale: raise the bars past them.
    grid_asked_ = arithmetic_asked_ = redraw_asked_ = probe_asked_ = pick_asked_ = ++next_serial_;
    frame_shown_ = edit_shown_ = next_serial_;
    cancelProjection();  // its latents belong to the previous generator
    worker_->setSnapshot(std::move(snapshot));
}

quint64 ExploreController::requestProject(ProjectRequest r) {
    if (projectCancel_) projectCancel_->store(true);
    projectCancel_ = r.cancel = std::make_shared<std::atomic<bool>>(false);
    r.serial = project_asked_ = ++next_serial_;
    worker_->requestProject(r);
    return r.serial;
}

quint64 ExploreController::requestProbe(ProbeRequest r) {
    r.serial = probe_asked_ = ++next_serial_;
    worker_->requestProbe(r);
    return r.serial;
}

quint64 ExploreController::requestPick(PickRequest r) {
    r.serial = pick_asked_ = ++next_serial_;
    worker_->requestPick(r);
    return r.serial;
}

quint64 ExploreController::requestEdit(EditRequest r) {
    r.serial = ++next_serial_;
    worker_->requestEdit(r);
    return r.serial;
}

void ExploreController::cancelProjection() {
    if (!projectCancel_) return;
    projectCancel_->store(true);
    projectCancel_.reset();
    project_asked_ = ++next_serial_;  // nothing more of it reaches the panel
}

quint64 ExploreController::requestGrid(GridRequest r) {
    r.serial = grid_asked_ = ++next_serial_;
    worker_->requestGrid(r);
    return r.serial;
}

quint64 ExploreController::requestArithmetic(ArithmeticRequest r) {
    r.serial = arithmetic_asked_ = ++next_serial_;
    worker_->requestArithmetic(r);
    return r.serial;
}

quint64 ExploreController::requestFrame(FrameRequest r) {
    r.serial = ++next_serial_;
    worker_->requestFrame(r);
    return r.serial;
}

quint64 ExploreController::requestRedraw(RedrawRequest r) {
    r.serial = redraw_asked_ = ++next_serial_;
    worker_->requestRedraw(r);
    return r.serial;
}

quint64 ExploreController::requestLoad(const QString& path) {
    LoadRequest r;
    r.serial = load_asked_ = ++next_serial_;
    r.path = path;
    worker_->requestLoad(r);
    return r.serial;
}

void ExploreController::requestExport(ExportRequest r) {
    r.cancel = std::make_shared<std::atomic<bool>>(false);  // set by the worker's stop() when the explorer closes
    worker_->requestExport(r);
}

} // namespace latentlab::explore
