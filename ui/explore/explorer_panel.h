// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>
#include <memory>

#include <QImage>
#include <QList>
#include <QString>
#include <QStringList>
#include <QWidget>

#include "explore/explore_types.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QToolButton;

namespace latentlab {
struct GeneratorSnapshot;
}

namespace latentlab::explore {

class ArithmeticView;
class AttributeView;
class ExploreController;
class ProbeTraining;
class InterpolationView;
class SampleGridView;

// The latent explorer: a grid of samples addressed as SEED:INDEX, vector
// arithmetic on groups A, B and C, and interpolation through keyframes, with
// exports. All drawing runs on the controller's worker thread.
class ExplorerPanel : public QWidget {
    Q_OBJECT
public:
    // What a click on the grid adds to: groups A, B, C (keys 1-3), the
    // keyframes (key 4), or the face the attribute sliders edit (key 5).
    enum Target { TargetA = 0, TargetB = 1, TargetC = 2, TargetKeyframes = 3, TargetEdit = 4 };

    explicit ExplorerPanel(QWidget* parent = nullptr);
    ~ExplorerPanel() override;  // stops the worker thread cleanly

    // Opens a checkpoint on the worker thread; the GUI never waits for it.
    // Ends with checkpointOpened, or checkpointFailed (with an error shown
    // that names the file and the reason). Opening another file before the
    // answer supersedes this one.
    void openCheckpoint(const QString& path);
    // Explores a generator snapshot, e.g. of the run training now.
    void setSnapshot(std::shared_ptr<latentlab::GeneratorSnapshot> snapshot, const QString& title);
    QStringList recentCheckpoints() const;  // QSettings "explorer/recent", newest first, at most 10

    Target target() const { return target_; }
    void setTarget(Target target);
    int groupSize(int group) const { return int(groups_[group].size()); }
    int keyframeCount() const { return int(keyframes_.size()); }
    int projectedCount() const { return int(projected_.size()); }
    QStringList probeAttributes() const { return probeNames_; }
    bool hasEditFace() const { return !editFace_.entry.vector.empty(); }
    QString message() const;

public Q_SLOTS:
    // Exports run on the worker; each ends with exportFinished. They return
    // false (and show why) when there is nothing to export.
    bool exportArithmeticPng(const QString& path);
    bool exportStripPng(const QString& path, int frames);
    bool exportStripSequence(const QString& folder, int frames);
    bool exportStripGif(const QString& path, int frames);
    bool saveLatents(const QString& path);
    bool loadLatents(const QString& path);
    void newBatch();
    // Projects image files or folders into the generator's latent space on a
    // thread of its own (what dropping them does): the reconstructions show
    // as they sharpen, then join the "Your images" tiles, pickable into A, B,
    // C and the keyframes like generated ones. Returns false (and says why)
    // when no checkpoint is open.
    bool projectImages(const QStringList& paths);
    // The same with `count` images of the open generator's training data,
    // chosen at random (another choice each time).
    bool projectTrainingImages(int count);
    void cancelProjection();
    // Opens an attribute probe (.llprobe) for the open generator on the
    // worker and measures a direction per attribute; ends with probeOpened.
    // One beside the checkpoint, or in its run folder, opens by itself.
    bool openProbe(const QString& path);
    // Adds the samples the probe scores best for `wishes` ("Smiling,-Male")
    // to the active group, from fresh batches; ends with picksAdded.
    bool pickBest(const QString& wishes);
    // Trains a probe on the open checkpoint's data (when it has attributes)
    // on a thread of its own, saves it in the run folder as
    // attributes.llprobe and opens it; ends with probeOpened.
    bool trainProbe();

Q_SIGNALS:
    void checkpointOpened(const QString& path);
    void checkpointFailed(const QString& path, const QString& reason);
    void statusMessage(const QString& text);
    void exportFinished(const QString& path, bool ok, const QString& message);
    void arithmeticShown();  // a new arithmetic sheet is on screen
    void gridShown();        // a new sample grid is on screen
    void projectionFinished(bool ok);  // ok: its images joined the projected tiles
    void probeOpened(bool ok);
    void picksAdded(int count);        // 0 when the pick failed (the message says why)
    void editShown();                  // the edited face on screen is up to date

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    struct Pick {
        LatentEntry entry;
        QImage thumbnail;
        QString label;  // SEED:INDEX, or what a derived vector is
    };
    QWidget* buildToolbar();
    QWidget* buildGridSide();
    QWidget* buildProjectionBar();
    QWidget* buildProjectionProgress();
    void startProjection(ProjectRequest r, const QString& what);
    void connectProjection();  // in the constructor: the projected tiles and the controller's projection signals
    void connectAttributes();  // in the constructor: the attribute tab and the controller's probe, pick and edit results
    void showProjected(const QList<QImage>& running = {}, const QStringList& runningNames = {});
    void onProjectProgress(const ProjectProgress& p);
    void onProjectFinished(const ProjectResult& r);
    void findProbeBeside(const QString& checkpoint);
    void setEditFace(const Pick& face);
    void requestEdit();
    void onProbe(const ProbeResult& r);
    void onPick(const PickResult& r);
    QString probeFolder() const;  // where a trained probe goes: the run folder
    void updateTrainState();
    void useSnapshot(std::shared_ptr<GeneratorSnapshot> snapshot, const QString& title);
    void addRecent(const QString& path);
    void showError(const QString& text);
    void showInfo(const QString& text);
    DrawSettings settingsFromControls() const;
    void settingsChanged();
    void requestGrid();
    void addPick(Pick pick);
    void removePick(int target, int index);
    void picksChanged(bool drawAgain = true);
    void requestArithmetic();
    void requestFrame();
    void requestRedraw(bool resolveRefs);
    void updateMarks();
    bool canExportStrip(const QString& path, int frames);
    void startExport(ExportKind kind, const QString& path, int frames);
    QString askPath(const QString& title, const QString& filter, bool folder = false);
    void onLoad(const LoadResult& r);
    void onGrid(const GridResult& r);
    void onArithmetic(const ArithmeticResult& r);
    void onRedraw(const RedrawResult& r);
    void onExport(const ExportResult& r);

    ExploreController* controller_ = nullptr;
    std::int64_t nz_ = 0;
    QString checkpointPath_;
    DrawSettings settings_;
    Target target_ = TargetA;
    std::array<QList<Pick>, kGroups> groups_;
    QList<Pick> keyframes_;
    quint64 revision_ = 0;      // bumped whenever the picks change
    bool resolvePending_ = false;
    std::uint64_t gridSeed_ = 0;
    Vectors gridVectors_;
    Vector resultVector_;
    QImage resultImage_;
    Vectors variantVectors_;
    QList<QImage> variantImages_;
    std::uint64_t variantSeed_ = 1;
    QList<Pick> projected_;  // the user's images, projected: vector, reconstruction, file name
    QString probePath_;
    QString dataSpec_;       // the open checkpoint's training data, from its config
    int imageSize_ = 0;
    int imageChannels_ = 0;
    ProbeTraining* probeTraining_ = nullptr;
    QStringList probeNames_;
    Vectors directions_;     // per probe attribute; empty where none was measured
    Pick editFace_;          // the face the sliders move (no vector: none chosen)
    Vector editVector_;      // editFace_ moved by the sliders' amounts
    std::uint64_t pickSeed_ = 1000;
    std::uint64_t trainingPickSeed_ = 1;  // which training images "Project training images" takes next  // the next "pick by attribute" draws from here on

    QLabel* title_ = nullptr;
    QLabel* message_ = nullptr;
    QToolButton* recent_ = nullptr;
    QLineEdit* seedField_ = nullptr;
    QSpinBox* count_ = nullptr;
    QComboBox* noise_ = nullptr;
    QDoubleSpinBox* truncation_ = nullptr;
    QCheckBox* batchStats_ = nullptr;
    std::array<QPushButton*, 5> targetButtons_{};
    SampleGridView* grid_ = nullptr;
    SampleGridView* projectedGrid_ = nullptr;
    QLabel* projectedTitle_ = nullptr;
    QWidget* projectionBar_ = nullptr;
    QProgressBar* projectionProgress_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    ArithmeticView* arithmetic_ = nullptr;
    InterpolationView* interpolation_ = nullptr;
    AttributeView* attributes_ = nullptr;
};

} // namespace latentlab::explore

namespace latentlab {
using explore::ExplorerPanel;
}
