// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/data_source.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include <zlib.h>

#include "common/error.h"
#include "common/memory.h"
#include "data/celeba.h"
#include "data/idx_file.h"
#include "data/random_images.h"
#include "data/synthetic_faces.h"
#ifdef LATENTLAB_HAVE_OPENCV
#include "data/image_folder.h"
#endif

namespace latentlab {
namespace {

std::size_t parse_count(const std::string& spec, const std::string& text) {
    constexpr std::size_t kMaxCount = 10'000'000;
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || text.size() > 9)
        throw Error("data '" + spec + "': count '" + text + "' is not a positive whole number");
    const std::size_t count = std::stoul(text);
    if (count == 0 || count > kMaxCount)
        throw Error("data '" + spec + "': count " + text + " is out of range (1.." + std::to_string(kMaxCount) + ")");
    return count;
}

} // namespace

void throw_if_cancelled(const DecodeOptions& options, const std::string& what) {
    if (options.cancelled()) throw Cancelled(what + ": cancelled");
}

std::string DataSpec::describe() const {
    switch (kind) {
    case Kind::Synthetic: return "synthetic faces (" + std::to_string(count) + ")";
    case Kind::Random: return "random pixels (" + std::to_string(count) + ")";
    case Kind::Folder: return "image folder " + path;
    case Kind::Celeba: return "CelebA folder " + path;
    case Kind::Idx: return "IDX file " + path;
    }
    return path;
}

std::optional<DataSpec> parse_generated_data_spec(const std::string& spec) {
    for (const auto& [prefix, kind] : {std::pair<std::string, DataSpec::Kind>{"synthetic", DataSpec::Kind::Synthetic},
                                       {"random", DataSpec::Kind::Random}}) {
        if (spec == prefix || spec.rfind(prefix + ":", 0) == 0) {
            DataSpec out;
            out.kind = kind;
            out.count = spec == prefix ? kDefaultSyntheticCount : parse_count(spec, spec.substr(prefix.size() + 1));
            return out;
        }
    }
    return std::nullopt;
}

DataSpec parse_data_spec(const std::string& spec) {
    namespace fs = std::filesystem;
    if (std::optional<DataSpec> generated = parse_generated_data_spec(spec)) return *generated;
    DataSpec out;
    out.path = spec;
    std::error_code ec;
    const auto status = fs::status(spec, ec);
    if (ec || !fs::exists(status))
        throw Error("data '" + spec + "': no such file or folder (expected synthetic[:N], random[:N], a folder or an IDX file)");
    if (fs::is_directory(status)) {
        out.kind = is_celeba_folder(spec) ? DataSpec::Kind::Celeba : DataSpec::Kind::Folder;
    } else {
        out.kind = DataSpec::Kind::Idx;
    }
    return out;
}

std::uint64_t generated_data_bytes(const DataSpec& spec, int size, int channels) {
    if (!spec.generated()) return 0;
    const std::uint64_t per_image =
        static_cast<std::uint64_t>(std::max(size, 0)) * static_cast<std::uint64_t>(std::max(size, 0)) *
        static_cast<std::uint64_t>(channels == 0 ? 3 : std::max(channels, 0));
    std::uint64_t total = 0;
    return multiply_fits(per_image, spec.count, total) ? total : UINT64_MAX;
}

DecodedImages load_data(const DataSpec& spec, const DecodeOptions& options, std::uint64_t seed) {
    if (const std::uint64_t bytes = generated_data_bytes(spec, options.size, options.channels))
        require_memory(bytes, "data '" + spec.describe() + "' at " + std::to_string(options.size) + " px");
    switch (spec.kind) {
    case DataSpec::Kind::Synthetic: return synthetic_faces(seed, spec.count, options);
    case DataSpec::Kind::Random: return random_images(seed, spec.count, options);
    case DataSpec::Kind::Idx: return decode_idx_images(spec.path, options);
    case DataSpec::Kind::Celeba: return decode_celeba(spec.path, options);
    case DataSpec::Kind::Folder:
#ifdef LATENTLAB_HAVE_OPENCV
        return decode_image_folder(spec.path, options);
#else
        throw Error("data '" + spec.path + "': image folders need OpenCV, and this build has none");
#endif
    }
    throw Error("data: unknown kind");
}

std::string data_fingerprint(const DecodedImages& images) {
    const std::uint32_t crc = crc32_of_store(images.pixels, 0);
    char text[64];
    std::snprintf(text, sizeof text, "%zux%dx%dx%d-%08lx", images.count(), images.size, images.size, images.channels,
                  static_cast<unsigned long>(crc));
    return text;
}

} // namespace latentlab
