// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <vector>

#include <QImage>
#include <QWidget>

class QSlider;
class QLabel;
class QPushButton;

namespace latentlab::ui {
class PixelView;
} // namespace latentlab::ui

namespace latentlab::trainer {


// The per-epoch sample grids of a run, scrubbed with a slider to watch the
// samples evolve from noise to faces, and exported as an animated GIF or a
// numbered PNG sequence.
class TimelineView : public QWidget {
    Q_OBJECT
public:
    explicit TimelineView(QWidget* parent = nullptr);

    void clear();
    void addFrame(const QImage& grid, int epoch);  // epoch 1-based
    // Loads samples/epoch_NNN.png files (oldest first).
    void loadFrames(const QStringList& files);
    int frameCount() const { return static_cast<int>(frames_.size()); }
    QSlider* slider() const { return slider_; }
    const QImage& currentImage() const;

    // Throw nothing; return an error message, empty on success.
    QString exportGif(const QString& path, int delay_centiseconds = 50) const;
    QString exportPngSequence(const QString& dir) const;

private:
    void showFrame(int index);

    struct Frame {
        QImage image;
        int epoch;
    };
    std::vector<Frame> frames_;
    ui::PixelView* view_;
    QSlider* slider_;
    QLabel* label_;
    QPushButton* gif_button_;
    QPushButton* png_button_;
};

} // namespace latentlab::trainer
