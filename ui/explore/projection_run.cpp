// SPDX-License-Identifier: GPL-3.0-or-later
// LibTorch before Qt: Qt's `slots` macro breaks the torch headers.
#include "checkpoint/generator_snapshot.h"

#include "explore/projection_run.h"

#include <algorithm>
#include <exception>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/nn/module.h>
#include <QtConcurrent/QtConcurrentRun>

#include "checkpoint/pth_import.h"
#include "common/error.h"
#include "data/data_source.h"
#include "data/image_inputs.h"
#include "latent/projection.h"
#include "models/generate.h"
#include "widgets/image_convert.h"

namespace latentlab::explore {
namespace {

constexpr int kPreviews = 30;  // progress messages (with images) per projection

QList<QImage> to_qimages(const at::Tensor& batch) {
    QList<QImage> out;
    for (const Image& i : to_images(batch)) out.push_back(ui::to_qimage(i));
    return out;
}

// An independent copy of the snapshot's generator: same structure, same weights.
Generator copy_generator(const GeneratorSnapshot& g) {
    Generator copy(g.model);
    copy->to(g.device);
    torch::NoGradGuard no_grad;
    const auto from = g.generator->parameters(), to = copy->parameters();
    for (std::size_t i = 0; i < from.size(); ++i) to[i].copy_(from[i]);
    const auto from_buffers = g.generator->buffers(), to_buffers = copy->buffers();
    for (std::size_t i = 0; i < from_buffers.size(); ++i) to_buffers[i].copy_(from_buffers[i]);
    copy->eval();
    return copy;
}

ImageInputs read_inputs(const ProjectRequest& r, int size, int channels) {
    std::vector<std::string> paths;
    for (const QString& p : r.paths) paths.push_back(p.toStdString());
    return read_image_inputs(paths, size, channels);
}

// A random few of the training data's images, decoded as the run decoded them.
ImageInputs training_inputs(const ProjectRequest& r, int size, int channels) {
    const std::string spec = r.training_data.toStdString();
    DecodeOptions decode;
    decode.size = size;
    decode.channels = channels;
    const DecodedImages data = load_data(parse_data_spec(spec), decode, 1);
    auto rng = at::make_generator<at::CPUGeneratorImpl>(r.seed);
    const auto count = static_cast<std::int64_t>(data.count());
    const at::Tensor order = at::randperm(count, rng, at::TensorOptions(at::kLong));
    ImageInputs in;
    for (std::int64_t k = 0; k < std::min<std::int64_t>(r.training_count, count); ++k) {
        const auto i = static_cast<std::size_t>(order[k].item<std::int64_t>());
        in.names.push_back(spec + " #" + std::to_string(i));
        in.images.push_back(data.copy_image(i));
    }
    return in;
}

QStringList to_strings(const std::vector<std::string>& list) {
    QStringList out;
    for (const std::string& s : list) out << QString::fromStdString(s);
    return out;
}

} // namespace

struct ProjectionRun::Job {
    ProjectRequest request;
    Generator generator{nullptr};
    Discriminator discriminator{nullptr};
    at::Tensor images;
    ProjectResult result;  // names, originals and skipped filled in before the descent
};

ProjectionRun::ProjectionRun(GeneratorSnapshot& g, const ProjectRequest& request, Progress progress, Finished finished)
    : cancel_(request.cancel ? request.cancel : std::make_shared<std::atomic<bool>>(false)) {
    auto job = std::make_shared<Job>();
    job->request = request;
    job->result.serial = request.serial;
    try {
        const ImageInputs in = request.training_data.isEmpty()
                                   ? read_inputs(request, g.model.image_size, g.model.channels)
                                   : training_inputs(request, g.model.image_size, g.model.channels);
        const std::size_t paths = static_cast<std::size_t>(request.paths.size());
        for (const SkippedFile& s : in.skipped)
            job->result.skipped << QString::fromStdString(s.path + ": " + s.reason);
        if (in.images.empty()) throw Error("no image to project among " + std::to_string(paths) + " dropped item(s)");
        job->result.names = to_strings(in.names);
        for (const Image& i : in.images) job->result.originals << ui::to_qimage(i);
        job->images = to_batch(in.images).to(g.device);
        job->generator = copy_generator(g);
        // The discriminator's features sharpen the match; a PyTorch generator file has none.
        if (request.feature_weight > 0.0 && !g.path.empty() && !is_pytorch_file(g.path))
            job->discriminator = load_discriminator(g.path, g.device);
    } catch (const std::exception& e) {
        job->result.error = QString::fromStdString(e.what());
        finished(job->result);
        return;
    }
    future_ = QtConcurrent::run([job, cancel = cancel_, progress = std::move(progress), finished = std::move(finished)] {
        at::set_num_threads(1);  // the worker draws on the other core meanwhile
        ProjectionOptions options;
        options.steps = job->request.steps;
        options.restarts = job->request.restarts;
        options.seed = job->request.seed;
        options.feature_weight = job->request.feature_weight;
        const int every = std::max(1, options.steps / kPreviews);
        ProjectResult& out = job->result;
        try {
            const Projection p = project(job->generator, job->discriminator, job->images, options,
                                         [&](const ProjectionStep& s) {
                                             if (s.step % every == 0 || s.step == 1)
                                                 progress({out.serial, s.step, s.steps, s.mean_mse, out.names,
                                                           to_qimages(s.images)});
                                             return !cancel->load();
                                         });
            out.cancelled = p.cancelled;
            out.reconstructions = to_qimages(p.reconstructions);
            for (std::int64_t i = 0; i < p.latents.size(0); ++i) {
                const at::Tensor row = p.latents[i].contiguous();
                out.vectors.emplace_back(row.data_ptr<float>(), row.data_ptr<float>() + row.numel());
            }
            out.start_mse = p.start_mse;
            out.final_mse = p.final_mse;
        } catch (const std::exception& e) {
            out.error = QString::fromStdString(e.what());
        }
        finished(out);
    });
}

ProjectionRun::~ProjectionRun() {
    cancel_->store(true);
    future_.waitForFinished();
}

} // namespace latentlab::explore
