// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <memory>

#include <QFuture>

#include "explore/explore_types.h"

namespace latentlab {
struct GeneratorSnapshot;
}

namespace latentlab::explore {

// One projection of dropped images, on QtConcurrent's pool (the UI's one way
// to run background work) so that the generation worker keeps drawing grids
// and frames meanwhile. It works on
// its own copy of the generator (and the checkpoint's discriminator, read
// from the file), so it shares no LibTorch module with the worker. Progress
// and the result come through the callbacks, called on the projection
// thread (the worker's thread has no event loop for a QFutureWatcher; the
// callbacks emit the worker's signals). Destroying a run cancels it and waits
// for it (one descent step at most).
class ProjectionRun {
public:
    using Progress = std::function<void(const ProjectProgress&)>;
    using Finished = std::function<void(const ProjectResult&)>;

    // Copies the generator on the calling thread (the worker's: the only one
    // that touches `g`), then reads the images and runs the descent on the
    // pool. Errors (an unreadable image) are reported through `finished`.
    ProjectionRun(GeneratorSnapshot& g, const ProjectRequest& request, Progress progress, Finished finished);
    ~ProjectionRun();
    ProjectionRun(const ProjectionRun&) = delete;
    ProjectionRun& operator=(const ProjectionRun&) = delete;

private:
    std::shared_ptr<std::atomic<bool>> cancel_;
    QFuture<void> future_;
};

} // namespace latentlab::explore
