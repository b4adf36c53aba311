// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/image_convert.h"

#include <cstring>

namespace latentlab::ui {

QImage to_qimage(const Image& image) {
    QImage out(image.width, image.height, image.channels == 1 ? QImage::Format_Grayscale8 : QImage::Format_RGB888);
    const std::size_t row = static_cast<std::size_t>(image.width) * image.channels;
    for (int y = 0; y < image.height; ++y) std::memcpy(out.scanLine(y), image.at(0, y), row);
    return out;
}

Image from_qimage(const QImage& image) {
    const bool gray = image.format() == QImage::Format_Grayscale8;
    const QImage source = gray ? image : image.convertToFormat(QImage::Format_RGB888);
    Image out(source.width(), source.height(), gray ? 1 : 3);
    const std::size_t row = static_cast<std::size_t>(out.width) * out.channels;
    for (int y = 0; y < out.height; ++y) std::memcpy(out.at(0, y), source.constScanLine(y), row);
    return out;
}

} // namespace latentlab::ui
