// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <QFuture>

#include <QObject>
#include <QThread>
#include <QTimer>

#include "checkpoint/generator_snapshot.h"
#include "data/decoded_images.h"
#include "train/train_config.h"
#include "train/training_feed.h"

namespace latentlab {
class Engine;
}

namespace latentlab::trainer {

// Owns the training thread. The engine runs there; this object turns what it
// reports into signals on the GUI thread (drained from a TrainingFeed every
// kDrainInterval ms) and forwards Pause/Resume/Step/Stop and live lr/beta1
// changes to the engine's control, which it checks between iterations.
class TrainingController : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Starting, Running, Paused, Stopping };
    Q_ENUM(State)

    explicit TrainingController(QObject* parent = nullptr);
    ~TrainingController() override;  // stops a run between iterations and waits for its checkpoint

    // Starts a run on `data` (decoded at config.load_size()). With
    // `resume_from` set, the run continues from that checkpoint.
    void start(const TrainConfig& config, std::shared_ptr<const DecodedImages> data,
               const QString& resume_from = QString(), bool start_paused = false);
    State state() const { return state_; }
    bool busy() const { return state_ != State::Idle; }
    // Blocks until the training thread has ended (after stop()); true if it did within `ms`.
    bool wait(int ms);

    // A copy of the current generator, taken off the GUI thread; arrives as snapshotReady().
    void requestSnapshot();

public Q_SLOTS:
    void pause();
    void resume();
    void step();
    void stop();
    void setLearningRate(double lr);
    void setBeta1(double beta1);
    // Cross-validates the pairs between the next two iterations; arrives as crossValidated().
    void requestCrossValidation();

Q_SIGNALS:
    void stateChanged(latentlab::trainer::TrainingController::State state);
    void started(const latentlab::TrainingStart& start);
    void metricsArrived(const std::vector<latentlab::IterationMetrics>& metrics);
    void samplesArrived(const latentlab::trainer::SampleFrame& frame);
    void epochEnded(const latentlab::EpochSummary& summary);
    void checkpointWritten(const QString& path, bool healthy);
    void crossValidated(const latentlab::CrossValidation& cv);
    void finished(const latentlab::TrainingEnd& end);
    void failed(const QString& message);
    void snapshotReady(std::shared_ptr<latentlab::GeneratorSnapshot> snapshot);

private:
    static constexpr int kDrainInterval = 40;  // ms between GUI updates
    void drain();
    void setState(State s);
    template <typename F> void with_engine(F&& f);

    TrainingFeed feed_;
    QTimer drain_timer_;
    QThread* thread_ = nullptr;
    QFuture<void> snapshot_;  // the copy in progress, on QtConcurrent's pool
    std::mutex engine_mutex_;
    std::shared_ptr<Engine> engine_;
    State state_ = State::Idle;
    std::atomic<bool> pause_requested_{false};
    bool stop_requested_ = false;  // guarded by engine_mutex_
};

} // namespace latentlab::trainer
