// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QImage>

#include "imaging/image.h"

namespace latentlab::explore {

// A QImage that owns a copy of the pixels (gray -> Grayscale8, RGB -> RGB888).
QImage to_qimage(const Image& image);

} // namespace latentlab::explore
