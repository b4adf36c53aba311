// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>

#include <QWidget>

#include "checkpoint/generator_snapshot.h"
#include "train/health_monitor.h"
#include "train/training_controller.h"

class QLabel;
class QListWidget;
class QPushButton;

class QSplitter;

namespace latentlab::ui {
class PixelView;
class ValidatedField;
} // namespace latentlab::ui

namespace latentlab::trainer {

class CrossValidationView;
class LiveCharts;
class SetupPanel;
class TimelineView;

// The trainer: settings on the left, the live sample grid and the epoch
// timeline in the middle, the charts on the right, and the controls on top.
// It drives the engine only through its TrainingController.
class TrainerPanel : public QWidget {
    Q_OBJECT
public:
    explicit TrainerPanel(QWidget* parent = nullptr);
    ~TrainerPanel() override;

    TrainingController* controller() { return &controller_; }
    SetupPanel* setup() const { return setup_; }
    LiveCharts* charts() const { return charts_; }
    CrossValidationView* crossValidation() const { return cross_validation_; }
    ui::PixelView* samples() const { return samples_; }
    TimelineView* timeline() const { return timeline_; }
    QLabel* message() const { return message_; }
    QListWidget* checkpoints() const { return checkpoints_; }
    std::int64_t iterationsSeen() const { return last_iteration_; }

    // Shows a finished or interrupted run: its settings, curves, timeline
    // and checkpoints; Train then resumes it. Returns an error message, or
    // an empty string.
    QString openRun(const QString& dir);
    // Remembers the column widths and the charts' share for the next start.
    void saveLayout() const;

public Q_SLOTS:
    void train();  // starts (or resumes) a run with the current settings
    void exploreThisRun();

Q_SIGNALS:
    void statusText(const QString& text);
    void progress(int value, int maximum);
    void exploreRequested(std::shared_ptr<latentlab::GeneratorSnapshot> snapshot, const QString& title);
    void checkpointActivated(const QString& path);  // double-clicked in the checkpoint list

private:
    QWidget* buildControls();
    QSplitter* splitter_ = nullptr;
    QSplitter* charts_column_ = nullptr;
    void onState(TrainingController::State state);
    void onStarted(const TrainingStart& start);
    void onMetrics(const std::vector<IterationMetrics>& metrics);
    void onSamples(const SampleFrame& frame);
    void onFinished(const TrainingEnd& end);
    void showHealth(const HealthWarning& warning);
    void showMessage(const QString& text, bool error);
    void rollBack();
    void updateTrainLabel();
    void addCheckpoint(const QString& path, bool healthy);
    void startRun(const TrainConfig& config, std::shared_ptr<const DecodedImages> data, const QString& resume_from);

    TrainingController controller_;
    HealthMonitor health_;
    SetupPanel* setup_;
    ui::PixelView* samples_;
    TimelineView* timeline_;
    LiveCharts* charts_;
    CrossValidationView* cross_validation_;
    QPushButton *train_, *pause_, *resume_, *step_, *stop_, *explore_;
    ui::ValidatedField *live_lr_, *live_beta1_;
    QLabel* message_;
    QListWidget* checkpoints_;
    QLabel* health_banner_;
    QPushButton* rollback_;
    std::optional<TrainConfig> running_config_;
    std::shared_ptr<const DecodedImages> running_data_;
    std::int64_t total_iterations_ = 0, last_iteration_ = 0, epochs_ = 0;
};

} // namespace latentlab::trainer
