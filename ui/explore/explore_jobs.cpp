// SPDX-License-Identifier: GPL-3.0-or-later
// LibTorch before Qt: Qt's `slots` macro breaks the torch headers.
#include "checkpoint/generator_snapshot.h"

#include "explore/explore_jobs.h"

#include <cstring>
#include <filesystem>

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/ATen.h>

#include "common/error.h"
#include "imaging/png_file.h"
#include "latent/attribute_direction.h"
#include "latent/attribute_pick.h"
#include "latent/latent_views.h"
#include "models/generate.h"
#ifdef LATENTLAB_HAVE_GIF
#include "imaging/gif_file.h"
#endif

namespace latentlab::explore {
namespace {

ViewOptions view_options(const DrawSettings& s) {
    ViewOptions v;
    v.noise = s.noise;
    v.truncation = s.truncation;
    v.statistics = s.batch_statistics ? NormStatistics::Batch : NormStatistics::Running;
    return v;
}

NormStatistics statistics(bool batch) { return batch ? NormStatistics::Batch : NormStatistics::Running; }

// [k, nz] float32 from k owned vectors; each must have nz values.
at::Tensor to_tensor(const GeneratorSnapshot& g, const Vectors& vectors) {
    const std::int64_t nz = g.model.nz;
    at::Tensor out = at::empty({static_cast<std::int64_t>(vectors.size()), nz}, at::kFloat);
    for (std::size_t i = 0; i < vectors.size(); ++i) {
        if (static_cast<std::int64_t>(vectors[i].size()) != nz)
            throw Error("a latent has " + std::to_string(vectors[i].size()) + " values but the generator takes nz = " +
                        std::to_string(nz));
        std::memcpy(out[static_cast<std::int64_t>(i)].data_ptr<float>(), vectors[i].data(), nz * sizeof(float));
    }
    return out;
}

Vector to_vector(const at::Tensor& row) {
    const at::Tensor r = row.contiguous().to(at::kFloat);
    const float* p = r.data_ptr<float>();
    return Vector(p, p + r.numel());
}

Vectors to_vectors(const at::Tensor& rows) {
    Vectors out;
    for (std::int64_t i = 0; i < rows.size(0); ++i) out.push_back(to_vector(rows[i]));
    return out;
}

std::vector<Image> draw(GeneratorSnapshot& g, const at::Tensor& latents, bool batch_statistics) {
    return to_images(generate(g.generator, latents, g.device, statistics(batch_statistics)));
}

} // namespace

GridTiles draw_grid(GeneratorSnapshot& g, std::uint64_t seed, int count, const DrawSettings& settings) {
    // view_batch + generate + to_images is sample_tiles, step by step, keeping the latents.
    const at::Tensor latents = view_batch(g, seed, count, view_options(settings));
    const at::Tensor values = generate(g.generator, latents, g.device, statistics(settings.batch_statistics));
    return {to_images(values), to_vectors(latents), values};
}

ArithmeticImages draw_arithmetic(GeneratorSnapshot& g, const std::array<Vectors, kGroups>& groups, bool batch_statistics,
                                 int variants, double variant_noise, std::uint64_t variant_seed) {
    for (int i = 0; i < kGroups; ++i)
        if (groups[i].empty())
            throw Error(std::string("group ") + group_letter(i) + " is empty: pick at least one image for it");
    ViewOptions options;
    options.statistics = statistics(batch_statistics);
    ArithmeticParts parts = arithmetic_parts(g, to_tensor(g, groups[0]), to_tensor(g, groups[1]), to_tensor(g, groups[2]),
                                             options);
    ArithmeticImages out;
    out.parts = std::move(parts.tiles);
    out.sheet = std::move(parts.sheet);
    out.result = to_vector(parts.result);
    const at::Tensor& result = parts.result;
    if (variants > 0) {
        auto rng = at::make_generator<at::CPUGeneratorImpl>(variant_seed);
        const at::Tensor noise = at::randn({variants, result.size(0)}, rng, at::TensorOptions(at::kFloat));
        const at::Tensor rolled = result.unsqueeze(0) + noise * variant_noise;
        out.variants = draw(g, rolled, batch_statistics);
        out.variant_vectors = to_vectors(rolled);
    }
    return out;
}

Image draw_frame(GeneratorSnapshot& g, const Vectors& keyframes, double position, InterpolationMode mode,
                 bool batch_statistics) {
    const at::Tensor point = path_point(to_tensor(g, keyframes), position, mode);
    return draw(g, point.unsqueeze(0), batch_statistics).front();
}

std::vector<Image> draw_path(GeneratorSnapshot& g, const Vectors& keyframes, int frames, InterpolationMode mode,
                             bool batch_statistics) {
    // As core's interpolation_strip: the whole path in one generator call.
    return draw(g, interpolation_path(to_tensor(g, keyframes), frames, mode), batch_statistics);
}

std::vector<Image> draw_vectors(GeneratorSnapshot& g, const Vectors& vectors, bool batch_statistics) {
    if (vectors.empty()) return {};
    return draw(g, to_tensor(g, vectors), batch_statistics);
}

Vector resolve_ref(const GeneratorSnapshot& g, const LatentRef& ref, const DrawSettings& settings) {
    return to_vector(view_latents(g, {ref}, view_options(settings))[0]);
}

OpenedProbe open_probe(GeneratorSnapshot& g, const std::string& path, const DrawSettings& settings) {
    constexpr int kDirectionSamples = 1024;  // as `latentlab-cli edit`
    OpenedProbe out;
    out.probe = std::make_shared<AttributeProbe>(load_attribute_probe(path));
    const auto kind = [](int size, int channels) {
        return std::to_string(size) + "x" + std::to_string(size) + (channels == 1 ? " grey" : " colour");
    };
    if (out.probe->image_size != g.model.image_size || out.probe->channels != g.model.channels)
        throw Error(path + ": the probe judges " + kind(out.probe->image_size, out.probe->channels) +
                    " images but this generator draws " + kind(g.model.image_size, g.model.channels) +
                    " ones; train a probe at its size (latentlab-cli probe --image-size " +
                    std::to_string(g.model.image_size) + ")");
    out.samples = kDirectionSamples;
    for (const AttributeDirection& d : attribute_directions(g, *out.probe, kDirectionSamples, 1000000, view_options(settings))) {
        out.directions.push_back(d.direction.defined() ? to_vector(d.direction) : Vector{});
        out.with.push_back(static_cast<int>(d.with));
    }
    return out;
}

PickedTiles draw_picks(GeneratorSnapshot& g, const AttributeProbe& probe, const std::string& wishes, int count,
                       std::uint64_t first_seed, int batches, const DrawSettings& settings) {
    constexpr int kBatch = 64;  // as `sample` and `pick`: SEED:INDEX means the same everywhere
    const ViewOptions options = view_options(settings);
    const std::vector<AttributePick> picks =
        pick_by_attributes(g, probe, parse_attribute_wishes(wishes, probe.names), count, first_seed, batches, kBatch, options);
    std::vector<LatentRef> refs;
    PickedTiles out;
    for (const AttributePick& p : picks) {
        refs.push_back(p.ref);
        out.scores.push_back(p.score);
    }
    const at::Tensor latents = view_latents(g, refs, options);
    for (std::size_t i = 0; i < refs.size(); ++i)
        out.entries.push_back({refs[i], to_vector(latents[static_cast<std::int64_t>(i)])});
    out.images = draw(g, latents, settings.batch_statistics);
    return out;
}

std::vector<double> score_values(const AttributeProbe& probe, const std::string& wishes, const at::Tensor& values) {
    const auto parsed = parse_attribute_wishes(wishes, probe.names);
    const at::Tensor scores = wish_scores(attribute_probabilities(probe, values), parsed).to(at::kDouble).contiguous();
    return std::vector<double>(scores.data_ptr<double>(), scores.data_ptr<double>() + scores.numel());
}

int run_export(GeneratorSnapshot& g, const ExportRequest& r) {
    const std::string path = r.path.toStdString();
    // Each file is written whole or not at all (write_png and write_gif move a
    // finished temporary file into place), so a cancel is checked between files.
    const auto check_cancel = [&r] {
        if (r.cancel && r.cancel->load()) throw Cancelled("the export was cancelled");
    };
    check_cancel();
    switch (r.kind) {
    case ExportKind::ArithmeticPng: {
        const Image sheet = draw_arithmetic(g, r.groups, r.batch_statistics).sheet;
        check_cancel();
        write_png(path, sheet);
        return 1;
    }
    case ExportKind::StripPng: {
        const Image strip = make_strip(draw_path(g, r.keyframes, r.frames, r.mode, r.batch_statistics));
        check_cancel();
        write_png(path, strip);
        return 1;
    }
    case ExportKind::StripSequence: {
        namespace fs = std::filesystem;
        const auto frames = draw_path(g, r.keyframes, r.frames, r.mode, r.batch_statistics);
        std::error_code ec;
        const bool made_folder = !fs::exists(path, ec);
        fs::create_directories(path, ec);
        if (ec) throw Error(path + ": cannot create the folder (" + ec.message() + ")");
        constexpr int kNameDigits = 4;  // frame_0000.png .. frame_9999.png sort by name
        std::vector<fs::path> written;
        try {
            for (std::size_t i = 0; i < frames.size(); ++i) {
                check_cancel();
                std::string number = std::to_string(i);
                number.insert(0, number.size() < kNameDigits ? kNameDigits - number.size() : 0, '0');
                written.push_back(fs::path(path) / ("frame_" + number + ".png"));
                write_png(written.back().string(), frames[i]);
            }
        } catch (const Cancelled&) {
            // Half a sequence is of no use: remove what this export wrote.
            for (const fs::path& f : written) fs::remove(f, ec);
            if (made_folder) fs::remove(path, ec);  // only if it is empty again
            throw;
        }
        return static_cast<int>(frames.size());
    }
    case ExportKind::StripGif:
#ifdef LATENTLAB_HAVE_GIF
    {
        const auto frames = draw_path(g, r.keyframes, r.frames, r.mode, r.batch_statistics);
        check_cancel();
        write_gif(path, frames, r.gif_delay_cs, true);
    }
        return 1;
#else
        throw Error(path + ": this build of LatentLab cannot write GIF files (giflib was not found)");
#endif
    }
    return 0;
}

} // namespace latentlab::explore
