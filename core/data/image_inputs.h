// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <vector>

#include "data/decoded_images.h"
#include "imaging/image.h"

namespace latentlab {

// Images a person hands LatentLab to work on (to project into a generator's
// latent space): files and folders, decoded to the model's size and channels
// as the image-folder source decodes its images (centre square, scaled).
struct ImageInputs {
    std::vector<std::string> names;    // one per image: the file's path
    std::vector<Image> images;
    std::vector<SkippedFile> skipped;  // files inside a folder that could not be used (path under the folder)
};

// A file is one image, and an unusable one is an error naming it; a folder
// gives every usable image under it, in sorted order, and lists the ones it
// skipped (with the path of each: folder/file). Throws latentlab::Error
// naming the file or folder and the reason, and in a LatentLab built
// without OpenCV.
ImageInputs read_image_inputs(const std::vector<std::string>& paths, int size, int channels);

} // namespace latentlab
