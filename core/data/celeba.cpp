// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/celeba.h"

#include "common/error.h"
#include "data/celeba_attributes.h"
#ifdef LATENTLAB_HAVE_OPENCV
#include "data/image_folder.h"
#endif

#include <cstring>
#include <filesystem>
#include <unordered_map>

namespace latentlab {
namespace fs = std::filesystem;

namespace {
const char* const kImageFolder = "img_align_celeba";
const char* const kAttributeFile = "list_attr_celeba.txt";
} // namespace

bool is_celeba_folder(const std::string& dir) {
    std::error_code ec;
    const fs::path root(dir);
    return fs::is_directory(root / kImageFolder, ec) && fs::is_regular_file(root / kAttributeFile, ec);
}

DecodedImages decode_celeba(const std::string& dir, const DecodeOptions& options) {
#ifndef LATENTLAB_HAVE_OPENCV
    (void)options;
    throw Error(dir + ": decoding CelebA needs OpenCV, and this build of LatentLab has none");
#else
    if (!is_celeba_folder(dir))
        throw Error(dir + ": not a CelebA folder (expected " + kImageFolder + "/ and " + kAttributeFile + ")");

    // The attribute file first: it is quick, and a broken one should fail
    // before minutes of decoding.
    const fs::path root(dir);
    const CelebaAttributeFile attrs = read_celeba_attributes((root / kAttributeFile).string());
    std::unordered_map<std::string, std::size_t> row_of;
    row_of.reserve(attrs.files.size());
    for (std::size_t i = 0; i < attrs.files.size(); ++i) row_of.emplace(attrs.files[i], i);

    DecodedImages images = decode_image_folder((root / kImageFolder).string(), options);
    const std::string prefix = std::string(kImageFolder) + "/";
    for (SkippedFile& s : images.skipped) s.path = prefix + s.path;

    // Attach rows; leave out images that have none, keeping order.
    images.attributes.names = attrs.names;
    images.attributes.values.reserve(images.names.size());
    const std::size_t bytes = images.image_bytes();
    std::size_t kept = 0;
    std::vector<SkippedFile> unlabelled;
    for (std::size_t i = 0; i < images.names.size(); ++i) {
        auto it = row_of.find(images.names[i]);
        if (it == row_of.end())  // nested layouts: fall back to the bare file name
            it = row_of.find(fs::path(images.names[i]).filename().string());
        if (it == row_of.end()) {
            unlabelled.push_back({prefix + images.names[i], std::string("no row in ") + kAttributeFile});
            continue;
        }
        if (kept != i) {
            std::memmove(images.pixels.data() + kept * bytes, images.pixels.data() + i * bytes, bytes);
            images.names[kept] = std::move(images.names[i]);
        }
        images.attributes.values.push_back(attrs.rows[it->second]);
        ++kept;
    }
    if (kept == 0)
        throw Error(dir + ": none of the " + std::to_string(images.names.size()) + " usable images in " + kImageFolder +
                    "/ has a row in " + kAttributeFile);
    images.names.resize(kept);
    images.pixels.resize(kept * bytes);
    images.skipped.insert(images.skipped.end(), unlabelled.begin(), unlabelled.end());
    return images;
#endif
}

} // namespace latentlab
