// SPDX-License-Identifier: GPL-3.0-or-later
// What the explorer asks its generation worker for, and what comes back.
// Plain values: requests are copied into the worker, results are owned
// copies (QImage built and deep-copied on the worker thread).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include <QImage>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include "latent/interpolation_mode.h"
#include "latent/latent_set_file.h"

namespace latentlab {
struct GeneratorSnapshot;
}

namespace latentlab::explore {

using Vector = std::vector<float>;
using Vectors = std::vector<Vector>;
constexpr int kGroups = LatentSet::kGroups;

// How latents are drawn from seeds and how the generator runs.
struct DrawSettings {
    NoiseKind noise = NoiseKind::Normal;
    double truncation = 1.0;
    bool batch_statistics = false;  // false: evaluation mode, the running averages
};
inline bool operator==(const DrawSettings& a, const DrawSettings& b) {
    return a.noise == b.noise && a.truncation == b.truncation && a.batch_statistics == b.batch_statistics;
}

// A checkpoint (or PyTorch generator) to open; loaded on the worker thread.
struct LoadRequest {
    quint64 serial = 0;
    QString path;
};
struct LoadResult {
    quint64 serial = 0;
    QString path;
    std::shared_ptr<GeneratorSnapshot> snapshot;  // null when the file could not be opened
    QString error;                                // names the file and the reason
};

struct GridRequest {
    quint64 serial = 0;
    std::uint64_t seed = 0;
    int count = 0;
    DrawSettings settings;
    QString sort_wishes;  // non-empty: the open probe scores each tile for these ("Smiling,-Male")
};
struct GridResult {
    quint64 serial = 0;
    std::uint64_t seed = 0;
    DrawSettings settings;
    QList<QImage> tiles;
    Vectors vectors;  // the latent of each tile (truncation applied)
    QString sort_wishes;
    std::vector<double> scores;  // per tile, when sort_wishes was given and could be scored
    QString sort_error;          // why the tiles could not be scored (the grid is still drawn)
    QString error;
};

struct ArithmeticRequest {
    quint64 serial = 0;
    std::array<Vectors, kGroups> groups;
    bool batch_statistics = false;
    int variants = 0;             // re-rolls of the result with added noise
    double variant_noise = 0.0;   // standard deviation of that noise
    std::uint64_t variant_seed = 0;
};
struct ArithmeticResult {
    quint64 serial = 0;
    QImage sheet;                           // exactly the CLI's arithmetic sheet
    std::array<QList<QImage>, kGroups> picks;
    QImage result;
    Vector result_vector;
    QList<QImage> variants;
    Vectors variant_vectors;
    QString error;
};

struct FrameRequest {
    quint64 serial = 0;
    Vectors keyframes;
    double position = 0.0;  // 0 = first keyframe, K - 1 = last
    InterpolationMode mode = InterpolationMode::Slerp;
    bool batch_statistics = false;
};
struct FrameResult {
    quint64 serial = 0;
    double position = 0.0;
    QImage frame;
    QString error;
};

// Draws chosen latents again: after loading a file (thumbnails), or with
// `resolve_refs` after the noise or truncation changed (SEED:INDEX entries get
// their vectors again under the new settings).
struct RedrawRequest {
    quint64 serial = 0;
    quint64 revision = 0;  // the picks' revision the entries were taken from
    std::vector<LatentEntry> entries;
    bool resolve_refs = false;
    DrawSettings settings;
};
struct RedrawResult {
    quint64 serial = 0;
    quint64 revision = 0;
    std::vector<LatentEntry> entries;
    QList<QImage> images;
    QString error;
};

enum class ExportKind { ArithmeticPng, StripPng, StripSequence, StripGif };
struct ExportRequest {
    ExportKind kind = ExportKind::StripPng;
    QString path;  // a file, or a folder for a PNG sequence
    std::array<Vectors, kGroups> groups;
    Vectors keyframes;
    int frames = 0;
    InterpolationMode mode = InterpolationMode::Slerp;
    bool batch_statistics = false;
    int gif_delay_cs = 0;
    // Set when the explorer closes: the export stops before its next file and
    // removes what it had written.
    std::shared_ptr<std::atomic<bool>> cancel;
};
struct ExportResult {
    ExportKind kind = ExportKind::StripPng;
    QString path;
    bool ok = false;
    QString message;  // the error, or what was written
    int files = 0;
    double seconds = 0.0;
};

// Images (files or folders) to project into the generator's latent space:
// latents whose generated images reconstruct them (core's project()).
struct ProjectRequest {
    quint64 serial = 0;
    QStringList paths;
    // Or images of the generator's training data (its SPEC): `training_count`
    // of them, chosen at random with `seed`, named "SPEC #INDEX".
    QString training_data;
    int training_count = 0;
    int steps = 300;
    int restarts = 16;
    std::uint64_t seed = 0;
    double feature_weight = 0.05;  // 0, or no discriminator in the file: pixels only
    std::shared_ptr<std::atomic<bool>> cancel;  // set by the explorer's Cancel, a newer request, or closing
};
// Sent while the descent runs: the reconstructions sharpening.
struct ProjectProgress {
    quint64 serial = 0;
    int step = 0;
    int steps = 0;
    double mean_mse = 0.0;
    QStringList names;
    QList<QImage> reconstructions;
};
struct ProjectResult {
    quint64 serial = 0;
    QStringList names;               // the image files, one per latent
    QList<QImage> reconstructions;   // G(latent)
    Vectors vectors;
    std::vector<double> final_mse;   // per image: pixel error of its reconstruction
    QStringList skipped;             // "path: reason" for files inside a folder that were not images
    bool cancelled = false;          // stopped by Cancel: nothing to add
    QString error;
};

// An attribute probe (.llprobe) to open on the worker, and the direction of
// each of its attributes measured on the open generator (core's
// attribute_directions). The worker keeps the probe for picks.
struct ProbeRequest {
    quint64 serial = 0;
    QString path;
    DrawSettings settings;
};
struct ProbeResult {
    quint64 serial = 0;
    QString path;
    QStringList names;   // the probe's attributes
    Vectors directions;  // one per name; empty where no sample had the attribute, or every one did
    QList<int> with;     // per name: of the samples measured, how many the probe says have it
    int samples = 0;
    QString error;       // names the file and the reason
};

// The `count` samples the probe scores best for `wishes` ("Smiling,-Male")
// among `batches` fresh batches of 64 (seeds first_seed, first_seed + 1, ...).
struct PickRequest {
    quint64 serial = 0;
    QString wishes;
    int count = 3;
    int batches = 4;
    std::uint64_t first_seed = 1;
    DrawSettings settings;
};
struct PickResult {
    quint64 serial = 0;
    QString wishes;
    std::vector<LatentEntry> entries;  // SEED:INDEX and its vector, best first
    std::vector<double> scores;
    QList<QImage> images;
    QString error;
};

// One latent drawn alone: the face being edited along attribute directions.
struct EditRequest {
    quint64 serial = 0;
    Vector vector;
    bool batch_statistics = false;
};
struct EditResult {
    quint64 serial = 0;
    QImage image;
    QString error;
};

} // namespace latentlab::explore

Q_DECLARE_METATYPE(latentlab::explore::ProbeResult)
Q_DECLARE_METATYPE(latentlab::explore::PickResult)
Q_DECLARE_METATYPE(latentlab::explore::EditResult)
Q_DECLARE_METATYPE(latentlab::explore::ProjectProgress)
Q_DECLARE_METATYPE(latentlab::explore::ProjectResult)
Q_DECLARE_METATYPE(latentlab::explore::LoadResult)
Q_DECLARE_METATYPE(latentlab::explore::GridResult)
Q_DECLARE_METATYPE(latentlab::explore::ArithmeticResult)
Q_DECLARE_METATYPE(latentlab::explore::FrameResult)
Q_DECLARE_METATYPE(latentlab::explore::RedrawResult)
Q_DECLARE_METATYPE(latentlab::explore::ExportResult)
