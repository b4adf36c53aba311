// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>

#include <QObject>
#include <QThread>

#include "explore/explore_types.h"

namespace latentlab {
struct GeneratorSnapshot;
}

namespace latentlab::explore {

class GenerationWorker;

// Owns the explorer's generation thread and its worker. Requests go in by
// copy; results come back as queued signals on the GUI thread. Every request
// gets a serial number; the controller forwards only results newer than the
// last one of their kind it forwarded, so nothing stale reaches the widgets.
class ExploreController : public QObject {
    Q_OBJECT
public:
    explicit ExploreController(QObject* parent = nullptr);
    ~ExploreController() override;  // stops the thread: interruption, quit, wait

    void setSnapshot(std::shared_ptr<GeneratorSnapshot> snapshot);
    bool hasSnapshot() const { return has_snapshot_; }

    quint64 requestGrid(GridRequest r);
    quint64 requestArithmetic(ArithmeticRequest r);
    quint64 requestFrame(FrameRequest r);
    quint64 requestRedraw(RedrawRequest r);
    void requestExport(ExportRequest r);
    // Opens a checkpoint on the worker thread; loadFinished answers. Only the
    // newest request is answered.
    quint64 requestLoad(const QString& path);
    // Projects images on a thread of its own; projectProgress reports the
    // reconstructions as they sharpen, projectFinished ends it. A newer
    // request, cancelProjection or another generator stops the one running.
    quint64 requestProject(ProjectRequest r);
    void cancelProjection();
    // Opens an attribute probe for the generator and measures its directions.
    quint64 requestProbe(ProbeRequest r);
    quint64 requestPick(PickRequest r);
    // Like frames: every result newer than the one shown is forwarded.
    quint64 requestEdit(EditRequest r);
    bool projecting() const { return projectCancel_ != nullptr; }

Q_SIGNALS:
    void loadFinished(const latentlab::explore::LoadResult& result);
    void gridReady(const latentlab::explore::GridResult& result);
    void arithmeticReady(const latentlab::explore::ArithmeticResult& result);
    void frameReady(const latentlab::explore::FrameResult& result);
    void redrawReady(const latentlab::explore::RedrawResult& result);
    void exportFinished(const latentlab::explore::ExportResult& result);
    void probeReady(const latentlab::explore::ProbeResult& result);
    void pickReady(const latentlab::explore::PickResult& result);
    void editReady(const latentlab::explore::EditResult& result);
    void projectProgress(const latentlab::explore::ProjectProgress& progress);
    void projectFinished(const latentlab::explore::ProjectResult& result);

private:
    QThread thread_;
    GenerationWorker* worker_ = nullptr;  // lives on thread_, deleted when the thread finishes
    bool has_snapshot_ = false;
    quint64 next_serial_ = 0;
    // The newest serial sent for each kind, and the newest result forwarded.
    quint64 load_asked_ = 0, grid_asked_ = 0, arithmetic_asked_ = 0, redraw_asked_ = 0, project_asked_ = 0,
            probe_asked_ = 0, pick_asked_ = 0, edit_shown_ = 0;
    std::shared_ptr<std::atomic<bool>> projectCancel_;  // of the projection running; null when none
    quint64 frame_shown_ = 0;
};

} // namespace latentlab::explore
