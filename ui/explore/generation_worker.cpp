// SPDX-License-Identifier: GPL-3.0-or-later
// LibTorch before Qt: Qt's `slots` macro breaks the torch headers.
#include <ATen/Parallel.h>

#include "checkpoint/generator_snapshot.h"

#include "explore/generation_worker.h"

#include <chrono>
#include <exception>


#include "common/error.h"
#include "explore/explore_jobs.h"
#include "explore/projection_run.h"
#include "widgets/image_convert.h"

namespace latentlab::explore {
namespace {

QList<QImage> to_qimages(const std::vector<Image>& images) {
    QList<QImage> out;
    out.reserve(static_cast<qsizetype>(images.size()));
    for (const Image& i : images) out.push_back(ui::to_qimage(i));
    return out;
}

QString message_of(const std::exception& e) { return QString::fromStdString(e.what()); }

} // namespace

GenerationWorker::GenerationWorker() = default;
GenerationWorker::~GenerationWorker() = default;

template <typename T> void GenerationWorker::put(std::optional<T>& slot, const T& request) {
    std::unique_lock<std::mutex> lock(mutex_);
    slot = request;  // a request still waiting is replaced: the newest wins
    wake_.notify_one();
}

void GenerationWorker::setSnapshot(std::shared_ptr<GeneratorSnapshot> snapshot) {
    std::unique_lock<std::mutex> lock(mutex_);
    retired_ = std::move(snapshot_);
    snapshot_ = std::move(snapshot);
    wake_.notify_one();
    // Requests made for the previous generator are of no use any more.
    grid_.reset();
    arithmetic_.reset();
    frame_.reset();
    redraw_.reset();
    project_.reset();
    probe_.reset();
    pick_.reset();
    edit_.reset();
}

void GenerationWorker::requestLoad(const LoadRequest& r) { put(load_, r); }
void GenerationWorker::requestGrid(const GridRequest& r) { put(grid_, r); }
void GenerationWorker::requestArithmetic(const ArithmeticRequest& r) { put(arithmetic_, r); }
void GenerationWorker::requestFrame(const FrameRequest& r) { put(frame_, r); }
void GenerationWorker::requestRedraw(const RedrawRequest& r) { put(redraw_, r); }
void GenerationWorker::requestProject(const ProjectRequest& r) { put(project_, r); }
void GenerationWorker::requestProbe(const ProbeRequest& r) { put(probe_, r); }
void GenerationWorker::requestPick(const PickRequest& r) { put(pick_, r); }
void GenerationWorker::requestEdit(const EditRequest& r) { put(edit_, r); }

void GenerationWorker::requestExport(const ExportRequest& r) {
    std::unique_lock<std::mutex> lock(mutex_);
    exports_.push_back(r);
    wake_.notify_one();
}

void GenerationWorker::stop() {
    std::unique_lock<std::mutex> lock(mutex_);
    abort_ = true;
    for (const ExportRequest& r : exports_)
        if (r.cancel) r.cancel->store(true);
    if (running_export_) running_export_->store(true);
    if (project_ && project_->cancel) project_->cancel->store(true);
    wake_.notify_one();
}

bool GenerationWorker::hasWork() const {
    return retired_ || load_ || (snapshot_ && (grid_ || arithmetic_ || frame_ || redraw_ || project_ || probe_ || pick_ || edit_)) ||
           !exports_.empty();
}

void GenerationWorker::run() {
    // One intra-op thread for this thread only (OpenMP's thread count is per
    // thread). A 64x64 frame takes about 5 ms on one core; with two threads it
    // waited for a core whenever a run trained on the same two cores (215 ms
    // per slider move, see docs/PERFORMANCE.md).
    constexpr int kGenerationThreads = 1;
    at::set_num_threads(kGenerationThreads);
    for (;;) {
        std::shared_ptr<GeneratorSnapshot> g;
        std::optional<LoadRequest> load;
        std::optional<FrameRequest> frame;
        std::optional<ArithmeticRequest> arithmetic;
        std::optional<GridRequest> grid;
        std::optional<RedrawRequest> redraw;
        std::optional<ExportRequest> job;
        std::optional<ProjectRequest> project;
        std::optional<ProbeRequest> probe;
        std::optional<PickRequest> pick;
        std::optional<EditRequest> edit;
        std::shared_ptr<GeneratorSnapshot> retired;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            while (!abort_ && !hasWork()) wake_.wait(lock);
            if (abort_) break;
            g = snapshot_;
            retired.swap(retired_);  // freed below, outside the lock
            // One job per turn: opening a file first, then the slider: those are what a person waits on.
            if (load_) load.swap(load_);
            else if (g && project_) project.swap(project_);  // quick: a copy of the weights, the rest runs on the pool
            else if (g && frame_) frame.swap(frame_);
            else if (g && edit_) edit.swap(edit_);
            else if (g && arithmetic_) arithmetic.swap(arithmetic_);
            else if (g && grid_) grid.swap(grid_);
            else if (g && redraw_) redraw.swap(redraw_);
            else if (g && pick_) pick.swap(pick_);
            else if (g && probe_) probe.swap(probe_);
            else if (!exports_.empty()) {
                job = exports_.front();
                exports_.pop_front();
                running_export_ = job->cancel;
            }
        }
        if (load) doLoad(*load);
        else if (project) doProject(*g, *project);
        else if (frame) doFrame(*g, *frame);
        else if (edit) doEdit(*g, *edit);
        else if (arithmetic) doArithmetic(*g, *arithmetic);
        else if (grid) doGrid(*g, *grid);
        else if (redraw) doRedraw(*g, *redraw);
        else if (pick) doPick(*g, *pick);
        else if (probe) doProbe(*g, *probe);
        else if (job) {
            doExport(g.get(), *job);
            std::unique_lock<std::mutex> lock(mutex_);
            running_export_.reset();
        }
    }
    projection_.reset();  // cancels a projection still running and waits for its thread
    Q_EMIT finished();
}

void GenerationWorker::doLoad(const LoadRequest& r) {
    LoadResult out;
    out.serial = r.serial;
    out.path = r.path;
    try {
        out.snapshot = std::make_shared<GeneratorSnapshot>(load_generator(r.path.toStdString(), c10::Device(c10::kCPU)));
    } catch (const std::exception& e) {
        out.error = message_of(e);
        if (!out.error.contains(r.path)) out.error = r.path + QStringLiteral(": ") + out.error;
    }
    Q_EMIT loadFinished(out);
}

void GenerationWorker::doProject(GeneratorSnapshot& g, const ProjectRequest& r) {
    projection_.reset();  // one at a time: the newer request wins
    projection_ = std::make_unique<ProjectionRun>(
        g, r, [this](const ProjectProgress& p) { Q_EMIT projectProgress(p); },
        [this](const ProjectResult& result) { Q_EMIT projectFinished(result); });
}

void GenerationWorker::doProbe(GeneratorSnapshot& g, const ProbeRequest& r) {
    ProbeResult out;
    out.serial = r.serial;
    out.path = r.path;
    try {
        OpenedProbe opened = open_probe(g, r.path.toStdString(), r.settings);
        for (const std::string& name : opened.probe->names) out.names << QString::fromStdString(name);
        out.directions = std::move(opened.directions);
        for (int w : opened.with) out.with << w;
        out.samples = opened.samples;
        attributeProbe_ = std::move(opened.probe);
    } catch (const std::exception& e) {
        attributeProbe_.reset();  // the panel has no probe now either
        out.error = message_of(e);
        if (!out.error.contains(r.path)) out.error = r.path + QStringLiteral(": ") + out.error;
    }
    Q_EMIT probeReady(out);
}

void GenerationWorker::doPick(GeneratorSnapshot& g, const PickRequest& r) {
    PickResult out;
    out.serial = r.serial;
    out.wishes = r.wishes;
    try {
        if (!attributeProbe_) throw Error("open an attribute probe first");
        PickedTiles picked = draw_picks(g, *attributeProbe_, r.wishes.toStdString(), r.count, r.first_seed, r.batches,
                                        r.settings);
        out.entries = std::move(picked.entries);
        out.scores = std::move(picked.scores);
        out.images = to_qimages(picked.images);
    } catch (const std::exception& e) {
        out.error = message_of(e);
    }
    Q_EMIT pickReady(out);
}

void GenerationWorker::doEdit(GeneratorSnapshot& g, const EditRequest& r) {
    EditResult out;
    out.serial = r.serial;
    try {
        out.image = ui::to_qimage(draw_vectors(g, {r.vector}, r.batch_statistics).front());
    } catch (const std::exception& e) {
        out.error = message_of(e);
    }
    Q_EMIT editReady(out);
}

void GenerationWorker::doFrame(GeneratorSnapshot& g, const FrameRequest& r) {
    FrameResult out;
    out.serial = r.serial;
    out.position = r.position;
    try {
        out.frame = ui::to_qimage(draw_frame(g, r.keyframes, r.position, r.mode, r.batch_statistics));
    } catch (const std::exception& e) {
        out.error = message_of(e);
    }
    Q_EMIT frameReady(out);
}

void GenerationWorker::doArithmetic(GeneratorSnapshot& g, const ArithmeticRequest& r) {
    ArithmeticResult out;
    out.serial = r.serial;
    try {
        const ArithmeticImages a =
            draw_arithmetic(g, r.groups, r.batch_statistics, r.variants, r.variant_noise, r.variant_seed);
        out.sheet = ui::to_qimage(a.sheet);
        out.picks = {to_qimages(a.parts.a), to_qimages(a.parts.b), to_qimages(a.parts.c)};
        out.result = ui::to_qimage(a.parts.result);
        out.result_vector = a.result;
        out.variants = to_qimages(a.variants);
        out.variant_vectors = a.variant_vectors;
    } catch (const std::exception& e) {
        out.error = message_of(e);
    }
    {
        std::unique_lock<std::mutex> lock(mutex_);
        if (arithmetic_) return;  // restart: a newer request waits, this one is stale
    }
    Q_EMIT arithmeticReady(out);
}

void GenerationWorker::doGrid(GeneratorSnapshot& g, const GridRequest& r) {
    GridResult out;
    out.serial = r.serial;
    out.seed = r.seed;
    out.settings = r.settings;
    try {
        GridTiles tiles = draw_grid(g, r.seed, r.count, r.settings);
        out.tiles = to_qimages(tiles.tiles);
        out.vectors = std::move(tiles.vectors);
        out.sort_wishes = r.sort_wishes;
        if (!r.sort_wishes.isEmpty()) {
            try {
                if (!attributeProbe_) throw Error("no attribute probe is open");
                out.scores = score_values(*attributeProbe_, r.sort_wishes.toStdString(), tiles.values);
            } catch (const std::exception& e) {
                out.sort_error = message_of(e);
            }
        }
    } catch (const std::exception& e) {
        out.error = message_of(e);
    }
    {
        std::unique_lock<std::mutex> lock(mutex_);
        if (grid_) return;  // stale
    }
    Q_EMIT gridReady(out);
}

void GenerationWorker::doRedraw(GeneratorSnapshot& g, const RedrawRequest& r) {
    RedrawResult out;
    out.serial = r.serial;
    out.revision = r.revision;
    out.entries = r.entries;
    try {
        Vectors vectors;
        for (LatentEntry& e : out.entries) {
            if (r.resolve_refs && e.ref) e.vector = resolve_ref(g, *e.ref, r.settings);
            vectors.push_back(e.vector);
        }
        out.images = to_qimages(draw_vectors(g, vectors, r.settings.batch_statistics));
    } catch (const std::exception& e) {
        out.error = message_of(e);
    }
    {
        std::unique_lock<std::mutex> lock(mutex_);
        if (redraw_) return;  // stale
    }
    Q_EMIT redrawReady(out);
}

void GenerationWorker::doExport(GeneratorSnapshot* g, const ExportRequest& r) {
    ExportResult out;
    out.kind = r.kind;
    out.path = r.path;
    const auto start = std::chrono::steady_clock::now();
    try {
        if (!g) throw Error("no checkpoint is open");
        out.files = run_export(*g, r);
        out.ok = true;
    } catch (const Cancelled&) {
        out.message = r.path + QStringLiteral(": cancelled; nothing was written");
    } catch (const std::exception& e) {
        out.message = message_of(e);
        if (!out.message.startsWith(r.path)) out.message = r.path + ": " + out.message;
    }
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (out.ok)
        out.message = QStringLiteral("Wrote %1 (%2 file%3, %4 s)")
                          .arg(r.path)
                          .arg(out.files)
                          .arg(out.files == 1 ? "" : "s")
                          .arg(out.seconds, 0, 'f', 2);
    Q_EMIT exportFinished(out);
}

} // namespace latentlab::explore
