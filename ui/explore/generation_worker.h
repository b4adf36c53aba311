// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>

#include <QObject>

#include "explore/explore_types.h"

namespace latentlab {
struct AttributeProbe;
struct GeneratorSnapshot;
}

namespace latentlab::explore {

class ProjectionRun;

// Draws for the explorer on its own thread; the only place the explorer runs
// LibTorch. Requests are copied in under a mutex, one slot per kind: a new
// request replaces the one still waiting (the newest wins, a slider drag
// never queues a backlog). A grid or redraw finished while a newer one waits
// is dropped; frames are always sent, each newer than the last, so the GUI
// keeps moving while dragging and shows the newest frame last. Exports queue
// in order. Opening a checkpoint comes before everything else (it is what the
// person waits on). Results are owned copies sent by queued signals.
class GenerationWorker : public QObject {
    Q_OBJECT
public:
    GenerationWorker();
    ~GenerationWorker() override;

    // All thread-safe, callable from the GUI thread.
    void setSnapshot(std::shared_ptr<GeneratorSnapshot> snapshot);
    void requestLoad(const LoadRequest& r);
    void requestGrid(const GridRequest& r);
    void requestArithmetic(const ArithmeticRequest& r);
    void requestFrame(const FrameRequest& r);
    void requestRedraw(const RedrawRequest& r);
    void requestExport(const ExportRequest& r);
    // Starts projecting on a thread of its own (ProjectionRun); a projection
    // still running is cancelled first.
    void requestProject(const ProjectRequest& r);
    void requestProbe(const ProbeRequest& r);
    void requestPick(const PickRequest& r);
    void requestEdit(const EditRequest& r);
    void stop();  // run() returns after the job in progress; exports are cancelled

public Q_SLOTS:
    void run();  // the loop; started by the owning thread

Q_SIGNALS:
    void loadFinished(const latentlab::explore::LoadResult& result);
    void gridReady(const latentlab::explore::GridResult& result);
    void arithmeticReady(const latentlab::explore::ArithmeticResult& result);
    void frameReady(const latentlab::explore::FrameResult& result);
    void redrawReady(const latentlab::explore::RedrawResult& result);
    void exportFinished(const latentlab::explore::ExportResult& result);
    // Emitted on the projection's thread.
    void probeReady(const latentlab::explore::ProbeResult& result);
    void pickReady(const latentlab::explore::PickResult& result);
    void editReady(const latentlab::explore::EditResult& result);
    void projectProgress(const latentlab::explore::ProjectProgress& progress);
    void projectFinished(const latentlab::explore::ProjectResult& result);
    void finished();

private:
    template <typename T> void put(std::optional<T>& slot, const T& request);
    bool hasWork() const;
    void doLoad(const LoadRequest& r);
    void doFrame(GeneratorSnapshot& g, const FrameRequest& r);
    void doArithmetic(GeneratorSnapshot& g, const ArithmeticRequest& r);
    void doGrid(GeneratorSnapshot& g, const GridRequest& r);
    void doRedraw(GeneratorSnapshot& g, const RedrawRequest& r);
    void doExport(GeneratorSnapshot* g, const ExportRequest& r);
    void doProject(GeneratorSnapshot& g, const ProjectRequest& r);
    void doProbe(GeneratorSnapshot& g, const ProbeRequest& r);
    void doPick(GeneratorSnapshot& g, const PickRequest& r);
    void doEdit(GeneratorSnapshot& g, const EditRequest& r);

    // std::mutex and std::condition_variable rather than Qt's: ThreadSanitizer
    // sees their waits (Qt's happen inside the uninstrumented library).
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool abort_ = false;
    std::shared_ptr<GeneratorSnapshot> snapshot_;
    std::shared_ptr<GeneratorSnapshot> retired_;  // released on this thread, not the GUI's
    std::optional<LoadRequest> load_;
    std::optional<GridRequest> grid_;
    std::optional<ArithmeticRequest> arithmetic_;
    std::optional<FrameRequest> frame_;
    std::optional<RedrawRequest> redraw_;
    std::optional<ProjectRequest> project_;
    std::optional<ProbeRequest> probe_;
    std::optional<PickRequest> pick_;
    std::optional<EditRequest> edit_;
    std::shared_ptr<AttributeProbe> attributeProbe_;  // the probe opened last; worker thread only
    std::unique_ptr<ProjectionRun> projection_;  // touched on the worker's thread only
    std::deque<ExportRequest> exports_;
    std::shared_ptr<std::atomic<bool>> running_export_;  // the cancel flag of the export in progress
};

} // namespace latentlab::explore
