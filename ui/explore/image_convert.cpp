// SPDX-License-Identifier: GPL-3.0-or-later
#include "explore/image_convert.h"

namespace latentlab::explore {

QImage to_qimage(const Image& image) {
    if (image.empty()) return {};
    const QImage::Format format = image.channels == 1 ? QImage::Format_Grayscale8 : QImage::Format_RGB888;
    const QImage view(image.pixels.data(), image.width, image.height, image.width * image.channels, format);
    return view.copy();  // `view` borrows the pixels; the copy owns them
}

} // namespace latentlab::explore
