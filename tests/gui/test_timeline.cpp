// SPDX-License-Identifier: GPL-3.0-or-later
#include <QtTest/QtTest>

#include <QDir>
#include <QFile>
#include <QSlider>

#include "train/timeline_view.h"

using latentlab::trainer::TimelineView;

namespace {
QImage frame(int shade) {
    QImage img(40, 30, QImage::Format_RGB888);
    img.fill(QColor(shade, 255 - shade, 100));
    return img;
}
}

class TestTimeline : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void scrubs_and_exports() {
        QTemporaryDir dir;
        TimelineView t;
        QCOMPARE(t.exportPngSequence(dir.filePath("none")), QString("There are no epochs to export yet."));
        for (int e = 1; e <= 5; ++e) t.addFrame(frame(e * 40), e);
        QCOMPARE(t.frameCount(), 5);
        QCOMPARE(t.slider()->value(), 4);  // follows the newest
        t.slider()->setValue(1);
        QCOMPARE(t.currentImage(), frame(80));
        t.addFrame(frame(250), 6);
        QCOMPARE(t.slider()->value(), 1);  // the user is scrubbing: stay
        QCOMPARE(t.exportPngSequence(dir.filePath("pngs")), QString());
        QCOMPARE(QDir(dir.filePath("pngs")).entryList({"epoch_*.png"}).size(), 6);
        QCOMPARE(QImage(dir.filePath("pngs/epoch_002.png")).convertToFormat(QImage::Format_RGB888), frame(80));
#ifdef LATENTLAB_HAVE_GIF
        QCOMPARE(t.exportGif(dir.filePath("t.gif")), QString());
        QFile gif(dir.filePath("t.gif"));
        QVERIFY(gif.open(QIODevice::ReadOnly));
        const QByteArray bytes = gif.readAll();
        QVERIFY(bytes.startsWith("GIF89a"));
        QCOMPARE(bytes.count(QByteArray("\x21\xF9\x04", 3)), 6);  // one graphic control block per frame
        QVERIFY(t.exportGif("/nonexistent-dir/t.gif").contains("/nonexistent-dir/t.gif"));
#endif
        // Reloading the PNGs of a run folder gives the same frames, numbered by epoch.
        TimelineView loaded;
        QStringList files;
        for (const QString& f : QDir(dir.filePath("pngs")).entryList({"epoch_*.png"}, QDir::Files, QDir::Name))
            files << dir.filePath("pngs/" + f);
        loaded.loadFrames(files);
        QCOMPARE(loaded.frameCount(), 6);
        QCOMPARE(loaded.currentImage().convertToFormat(QImage::Format_RGB888), frame(250));
    }
};

QTEST_MAIN(TestTimeline)
#include "test_timeline.moc"
