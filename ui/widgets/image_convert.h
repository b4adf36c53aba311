// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QImage>

#include "imaging/image.h"

namespace latentlab::ui {

// Deep copies between core's 8-bit images and QImage (Grayscale8 or RGB888).
QImage to_qimage(const Image& image);
Image from_qimage(const QImage& image);  // gray stays gray, everything else becomes RGB

} // namespace latentlab::ui
