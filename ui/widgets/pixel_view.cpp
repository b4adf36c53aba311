// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/pixel_view.h"

#include <QPainter>

namespace latentlab::ui {

PixelView::PixelView(QWidget* parent) : QWidget(parent) {
    setMinimumSize(160, 160);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void PixelView::setImage(const QImage& image, const QString& caption) {
    image_ = image;
    caption_ = caption;
    update();
}

void PixelView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().window());
    const int caption_height = caption_.isEmpty() ? 0 : fontMetrics().height() + 6;
    const QRect area = rect().adjusted(4, 4, -4, -4 - caption_height);
    if (image_.isNull()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(area, Qt::AlignCenter, tr("Samples appear here once training starts"));
        return;
    }
    double scale = std::min(area.width() / double(image_.width()), area.height() / double(image_.height()));
    if (scale >= 1.0) scale = std::floor(scale);  // whole pixels: crisp
    const QSize size(int(image_.width() * scale), int(image_.height() * scale));
    const QRect target(area.x() + (area.width() - size.width()) / 2, area.y() + (area.height() - size.height()) / 2,
                       size.width(), size.height());
    p.setRenderHint(QPainter::SmoothPixmapTransform, scale < 1.0);
    p.drawImage(target, image_);
    if (caption_height) {
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(QRect(0, target.bottom() + 4, width(), caption_height), Qt::AlignHCenter | Qt::AlignTop, caption_);
    }
}

} // namespace latentlab::ui
