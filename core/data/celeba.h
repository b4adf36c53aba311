// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "data/decoded_images.h"

#include <string>

namespace latentlab {

// True when dir holds CelebA's layout: a folder img_align_celeba/ and the file
// list_attr_celeba.txt. Never throws.
bool is_celeba_folder(const std::string& dir);

// Decodes a CelebA folder: the images of img_align_celeba/ (with
// decode_image_folder, same options and same skipping rules) and their 40
// attributes from list_attr_celeba.txt.
//
// - names are the images' paths relative to img_align_celeba/ ("000001.jpg"),
//   i.e. the names used in list_attr_celeba.txt; skipped paths are relative
//   to dir ("img_align_celeba/000123.jpg").
// - attributes.values[i] belongs to image i. An image without a row in
//   list_attr_celeba.txt is left out (so every kept image has real labels)
//   and listed in skipped with the reason "no row in list_attr_celeba.txt".
//   Rows for images that are absent or unusable are ignored.
//
// Throws latentlab::Error when the build has no OpenCV ("... needs OpenCV"),
// when dir is not a CelebA folder, when the attribute file is malformed
// (message names file and line), and when no image is usable.
DecodedImages decode_celeba(const std::string& dir, const DecodeOptions& options);

} // namespace latentlab
