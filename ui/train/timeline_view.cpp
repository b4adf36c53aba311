// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/timeline_view.h"

#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSlider>
#include <QVBoxLayout>

#include "common/error.h"
#include "imaging/png_file.h"
#include "widgets/image_convert.h"
#include "widgets/pixel_view.h"
#ifdef LATENTLAB_HAVE_GIF
#include "imaging/gif_file.h"
#endif

namespace latentlab::trainer {

TimelineView::TimelineView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    view_ = new ui::PixelView(this);
    view_->setObjectName("timelineImage");
    layout->addWidget(view_, 1);
    auto* row = new QHBoxLayout;
    label_ = new QLabel(tr("no epochs yet"), this);
    label_->setMinimumWidth(90);
    slider_ = new QSlider(Qt::Horizontal, this);
    slider_->setObjectName("timelineSlider");
    slider_->setEnabled(false);
    gif_button_ = new QPushButton(tr("Export GIF…"), this);
    gif_button_->setObjectName("exportGifButton");
    png_button_ = new QPushButton(tr("Export PNGs…"), this);
    png_button_->setObjectName("exportPngsButton");
    row->addWidget(label_);
    row->addWidget(slider_, 1);
    row->addWidget(gif_button_);
    row->addWidget(png_button_);
    layout->addLayout(row);
    gif_button_->setEnabled(false);
    png_button_->setEnabled(false);
#ifndef LATENTLAB_HAVE_GIF
    gif_button_->setToolTip(tr("This build has no GIF support (giflib)"));
#endif

    connect(slider_, &QSlider::valueChanged, this, &TimelineView::showFrame);
    connect(gif_button_, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export timeline as GIF"), "timeline.gif", "GIF (*.gif)");
        if (path.isEmpty()) return;
        const QString error = exportGif(path);
        if (!error.isEmpty()) QMessageBox::warning(this, tr("Export failed"), error);
    });
    connect(png_button_, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Export timeline as PNG files into"));
        if (dir.isEmpty()) return;
        const QString error = exportPngSequence(dir);
        if (!error.isEmpty()) QMessageBox::warning(this, tr("Export failed"), error);
    });
}

void TimelineView::clear() {
    frames_.clear();
    slider_->setRange(0, 0);
    slider_->setEnabled(false);
    gif_button_->setEnabled(false);
    png_button_->setEnabled(false);
    label_->setText(tr("no epochs yet"));
    view_->setImage(QImage());
}

void TimelineView::addFrame(const QImage& grid, int epoch) {
    const bool at_end = frames_.empty() || slider_->value() == slider_->maximum();
    frames_.push_back({grid, epoch});
    slider_->setEnabled(true);
    png_button_->setEnabled(true);
#ifdef LATENTLAB_HAVE_GIF
    gif_button_->setEnabled(true);
#endif
    slider_->setRange(0, frameCount() - 1);
    if (at_end) slider_->setValue(frameCount() - 1);  // follow the newest unless the user is scrubbing
    showFrame(slider_->value());
}

void TimelineView::loadFrames(const QStringList& files) {
    clear();
    static const QRegularExpression epoch_number(QStringLiteral("epoch_(\\d+)\\.png$"));
    for (const QString& f : files) {
        const QImage img(f);
        const auto match = epoch_number.match(f);
        if (!img.isNull()) addFrame(img, match.hasMatch() ? match.captured(1).toInt() : frameCount() + 1);
    }
}

const QImage& TimelineView::currentImage() const { return view_->image(); }

void TimelineView::showFrame(int index) {
    if (index < 0 || index >= frameCount()) return;
    const Frame& f = frames_[static_cast<std::size_t>(index)];
    label_->setText(tr("epoch %1 of %2").arg(f.epoch).arg(frames_.back().epoch));
    view_->setImage(f.image, tr("epoch %1").arg(f.epoch));
}

QString TimelineView::exportGif(const QString& path, int delay_centiseconds) const {
#ifdef LATENTLAB_HAVE_GIF
    if (frames_.empty()) return tr("There are no epochs to export yet.");
    std::vector<Image> images;
    for (const Frame& f : frames_) images.push_back(ui::from_qimage(f.image));
    try {
        write_gif(path.toStdString(), images, delay_centiseconds, true);
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
#else
    (void)delay_centiseconds;
    return tr("%1: this build has no GIF support (giflib was not found)").arg(path);
#endif
}

QString TimelineView::exportPngSequence(const QString& dir) const {
    if (frames_.empty()) return tr("There are no epochs to export yet.");
    if (!QDir().mkpath(dir)) return tr("%1: cannot create the folder").arg(dir);
    try {
        for (const Frame& f : frames_)
            write_png(QDir(dir).filePath(QStringLiteral("epoch_%1.png").arg(f.epoch, 3, 10, QChar('0'))).toStdString(),
                      ui::from_qimage(f.image));
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

} // namespace latentlab::trainer
