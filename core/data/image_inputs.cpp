// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/image_inputs.h"

#include <filesystem>

#include "common/error.h"
#ifdef LATENTLAB_HAVE_OPENCV
#include "data/image_folder.h"
#endif

namespace latentlab {

#ifdef LATENTLAB_HAVE_OPENCV
ImageInputs read_image_inputs(const std::vector<std::string>& paths, int size, int channels) {
    namespace fs = std::filesystem;
    ImageInputs in;
    std::vector<unsigned char> bytes;  // reused between files
    for (const std::string& path : paths) {
        std::error_code ec;
        if (fs::is_directory(path, ec)) {
            DecodeOptions options;
            options.size = size;
            options.channels = channels;
            const DecodedImages folder = decode_image_folder(path, options);
            for (const SkippedFile& s : folder.skipped) in.skipped.push_back({(fs::path(path) / s.path).string(), s.reason});
            for (std::size_t i = 0; i < folder.count(); ++i) {
                in.names.push_back((fs::path(path) / folder.names[i]).string());
                in.images.push_back(folder.copy_image(i));
            }
            continue;
        }
        Image image(size, size, channels);
        const std::string reason = decode_image_file(path, bytes, image.pixels.data(), size, channels);
        if (!reason.empty()) throw Error(path + ": " + reason);
        in.names.push_back(path);
        in.images.push_back(std::move(image));
    }
    return in;
}
#else
ImageInputs read_image_inputs(const std::vector<std::string>&, int, int) {
    throw Error("reading image files needs a LatentLab built with OpenCV");
}
#endif

} // namespace latentlab
