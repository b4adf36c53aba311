// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QImage>
#include <QWidget>

namespace latentlab::ui {

// Shows an image as large as fits, scaled by whole pixels where it can so
// that small generated images stay crisp, with a caption underneath.
class PixelView : public QWidget {
    Q_OBJECT
public:
    explicit PixelView(QWidget* parent = nullptr);
    void setImage(const QImage& image, const QString& caption = QString());
    const QImage& image() const { return image_; }
    QSize sizeHint() const override { return {360, 380}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QImage image_;
    QString caption_;
};

} // namespace latentlab::ui
