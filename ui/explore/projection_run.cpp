// SPDX-License-Identifier: GPL-3.0-or-later
// LibTorch before Qt: Qt's `slots` macro breaks the torch headers.
#include "checkpoint/generator_snapshot.h"

#include "explore/projection_run.h"

#include <algorithm>
#include <exception>
#include <filesystem>

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
#ifdef LATENTLAB_HAVE_OPENCV
#include "data/image_folder.h"
#endif

namespace latentlab::explore {
namespace {

constexpr int kPreviews = 30;  // progress messages (with images) per projection

QList<QImage> to_qimages(const at::Tensor& batch) {
    QList<QImage> out;
    for (const Image& i : to_images(batch)) out.push_back(ui::to_qimage(i));
    return out;
}

// `count` of `total` items chosen at random with `seed`, in a random order.
std::vector<std::size_t> choose(std::size_t total, int count, std::uint64_t seed) {
    auto rng = at::make_generator<at::CPUGeneratorImpl>(seed);
    const at::Tensor order = at::randperm(static_cast<std::int64_t>(total), rng, at::TensorOptions(at::kLong));
    std::vector<std::size_t> out;
    for (std::int64_t k = 0; k < std::min<std::int64_t>(count, order.numel()); ++k)
        out.push_back(static_cast<std::size_t>(order[k].item<std::int64_t>()));
    return out;
}

// A random few of the training data's images, decoded as the run decoded
// them. From files only the chosen files are read; generated data and IDX
// files are drawn or read whole (both quick).
ImageInputs training_inputs(const ProjectRequest& r, int size, int channels) {
    const std::string spec = r.training_data.toStdString();
    const DataSpec parsed = parse_data_spec(spec);
    ImageInputs in;
    if (parsed.kind == DataSpec::Kind::Folder || parsed.kind == DataSpec::Kind::Celeba) {
#ifdef LATENTLAB_HAVE_OPENCV
        const std::filesystem::path dir = parsed.kind == DataSpec::Kind::Celeba
                                              ? std::filesystem::path(parsed.path) / "img_align_celeba"
                                              : std::filesystem::path(parsed.path);
        const std::vector<std::string> files = list_image_files(dir.string());
        std::vector<std::string> chosen;
        for (std::size_t i : choose(files.size(), r.training_count, r.seed)) chosen.push_back((dir / files[i]).string());
        return read_image_inputs(chosen, size, channels);
#else
        throw Error(spec + ": reading image files needs a LatentLab built with OpenCV");
#endif
    }
    DecodeOptions decode;
    decode.size = size;
    decode.channels = channels;
    const DecodedImages data = load_data(parsed, decode, 1);
    for (std::size_t i : choose(data.count(), r.training_count, r.seed)) {
        in.names.push_back(spec + " #" + std::to_string(i));
        in.images.push_back(data.copy_image(i));
    }
    return in;
}

ImageInputs read_inputs(const ProjectRequest& r, int size, int channels) {
    if (!r.training_data.isEmpty()) return training_inputs(r, size, channels);
    std::vector<std::string> paths;
    for (const QString& p : r.paths) paths.push_back(p.toStdString());
    ImageInputs in = read_image_inputs(paths, size, channels);
    if (in.images.empty()) throw Error("no image to project among " + std::to_string(paths.size()) + " dropped item(s)");
    return in;
}

QStringList to_strings(const std::vector<std::string>& list) {
    QStringList out;
    for (const std::string& s : list) out << QString::fromStdString(s);
    return out;
}

} // namespace

ProjectionRun::ProjectionRun(GeneratorSnapshot& g, const ProjectRequest& request, Progress progress, Finished finished)
    : cancel_(request.cancel ? request.cancel : std::make_shared<std::atomic<bool>>(false)) {
    // Only the copy touches `g`, here on the worker's thread; reading the
    // images and the discriminator (files) happens in the pooled job.
    Generator generator = clone_generator(g.generator, g.device);
    future_ = QtConcurrent::run([request, generator, model = g.model, device = g.device, checkpoint = g.path,
                                 cancel = cancel_, progress = std::move(progress),
                                 finished = std::move(finished)]() mutable {
        at::set_num_threads(1);  // the worker draws on the other core meanwhile
        ProjectResult out;
        out.serial = request.serial;
        try {
            const ImageInputs in = read_inputs(request, model.image_size, model.channels);
            for (const SkippedFile& s : in.skipped) out.skipped << QString::fromStdString(s.path + ": " + s.reason);
            out.names = to_strings(in.names);
            // The discriminator's features sharpen the match; a PyTorch generator file has
            // none, and a live run's snapshot names no file.
            Discriminator discriminator(nullptr);
            std::error_code ec;
            if (request.feature_weight > 0.0 && std::filesystem::is_regular_file(checkpoint, ec) &&
                !is_pytorch_file(checkpoint))
                discriminator = load_discriminator(checkpoint, device);
            ProjectionOptions options;
            options.steps = request.steps;
            options.restarts = request.restarts;
            options.seed = request.seed;
            options.feature_weight = request.feature_weight;
            const int every = std::max(1, options.steps / kPreviews);
            const Projection p = project(generator, discriminator, to_batch(in.images).to(device), options,
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
