// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/training_controller.h"

#include <QCoreApplication>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

#include "common/error.h"
#include "train/engine.h"

namespace latentlab::trainer {

TrainingController::TrainingController(QObject* parent) : QObject(parent) {
    drain_timer_.setInterval(kDrainInterval);
    connect(&drain_timer_, &QTimer::timeout, this, &TrainingController::drain);
}

TrainingController::~TrainingController() {
    stop();
    if (thread_) {
        thread_->wait();
        delete thread_;  // its finished() slot will not run for a destroyed receiver
    }
    snapshot_.waitForFinished();
}

template <typename F>
void TrainingController::with_engine(F&& f) {
    std::lock_guard<std::mutex> lock(engine_mutex_);
    if (engine_) f(*engine_);
}

void TrainingController::setState(State s) {
    if (s == state_) return;
    state_ = s;
    Q_EMIT stateChanged(s);
}

void TrainingController::start(const TrainConfig& config, std::shared_ptr<const DecodedImages> data,
                               const QString& resume_from, bool start_paused) {
    if (thread_) return;
    pause_requested_ = start_paused;
    stop_requested_ = false;
    setState(State::Starting);
    const std::string resume = resume_from.toStdString();
    thread_ = QThread::create([this, config, data, resume, start_paused]() {
        try {
            auto engine = std::make_shared<Engine>(config, data);
            if (!resume.empty()) engine->resume_from(resume);
            engine->add_observer(&feed_);
            {
                std::lock_guard<std::mutex> lock(engine_mutex_);
                engine_ = engine;
                if (start_paused || pause_requested_) engine->control().pause();
                // Stop pressed (or the window closed) while the engine was being built.
                if (stop_requested_) engine->control().stop();
            }
            engine->run();
        } catch (const std::exception& e) {
            feed_.reportError(e.what());
        } catch (...) {
            feed_.reportError("the training thread failed with an unknown error");
        }
        std::lock_guard<std::mutex> lock(engine_mutex_);
        engine_.reset();
    });
    thread_->setObjectName("latentlab-training");
    connect(thread_, &QThread::finished, this, [this] {
        drain();  // what the run reported last
        thread_->deleteLater();
        thread_ = nullptr;
        setState(State::Idle);
    });
    drain_timer_.start();
    thread_->start();
}

bool TrainingController::wait(int ms) {
    if (!thread_) return true;
    const bool done = thread_->wait(ms);
    if (done) QCoreApplication::sendPostedEvents(this);
    if (done && thread_) {  // the finished() slot may not have run yet
        drain();
        thread_->deleteLater();
        thread_ = nullptr;
        setState(State::Idle);
    }
    return done;
}

void TrainingController::drain() {
    FeedBatch b = feed_.drain();
    if (b.error) {
        Q_EMIT failed(QString::fromStdString(*b.error));
    }
    if (b.start) {
        if (state_ == State::Starting) setState(pause_requested_ ? State::Paused : State::Running);
        Q_EMIT started(*b.start);
    }
    if (!b.metrics.empty()) Q_EMIT metricsArrived(b.metrics);
    for (const auto& s : b.samples) Q_EMIT samplesArrived(s);
    for (const auto& e : b.epochs) Q_EMIT epochEnded(e);
    for (const auto& cv : b.cross_validations) Q_EMIT crossValidated(cv);
    for (const auto& [path, healthy] : b.checkpoints) Q_EMIT checkpointWritten(QString::fromStdString(path), healthy);
    if (b.end) {
        drain_timer_.stop();
        Q_EMIT finished(*b.end);
    }
    // A run paused by the engine itself (a non-finite loss) shows as paused.
    if (state_ == State::Running) {
        bool paused = false;
        with_engine([&](Engine& e) { paused = e.control().paused(); });
        if (paused) setState(State::Paused);
    }
}

void TrainingController::pause() {
    pause_requested_ = true;
    with_engine([](Engine& e) { e.control().pause(); });
    if (state_ == State::Running) setState(State::Paused);
}

void TrainingController::resume() {
    pause_requested_ = false;
    with_engine([](Engine& e) { e.control().resume(); });
    if (state_ == State::Paused) setState(State::Running);
}

void TrainingController::step() {
    with_engine([](Engine& e) { e.control().step(1); });
    if (state_ == State::Running) setState(State::Paused);
}

void TrainingController::stop() {
    {
        // Under the engine's lock, so a run that is still starting sees it when its engine appears.
        std::lock_guard<std::mutex> lock(engine_mutex_);
        stop_requested_ = true;
        if (engine_) engine_->control().stop();
    }
    if (state_ == State::Starting || state_ == State::Running || state_ == State::Paused) setState(State::Stopping);
}

void TrainingController::setLearningRate(double lr) {
    with_engine([lr](Engine& e) { e.control().set_learning_rate(lr); });
}

void TrainingController::setBeta1(double beta1) {
    with_engine([beta1](Engine& e) { e.control().set_beta1(beta1); });
}

void TrainingController::requestCrossValidation() {
    with_engine([](Engine& e) { e.control().request_cross_validation(); });
}

void TrainingController::requestSnapshot() {
    std::shared_ptr<Engine> engine;
    {
        std::lock_guard<std::mutex> lock(engine_mutex_);
        engine = engine_;
    }
    if (!engine) return;
    if (snapshot_.isRunning()) return;  // the copy in progress answers this request too
    QPointer<TrainingController> self(this);
    snapshot_ = QtConcurrent::run([self, engine] {
        std::shared_ptr<GeneratorSnapshot> snapshot;
        QString error;
        try {
            snapshot = std::make_shared<GeneratorSnapshot>(engine->snapshot_generator());
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        } catch (...) {
            error = QStringLiteral("an unknown error");
        }
        QMetaObject::invokeMethod(
            self.data(),
            [self, snapshot, error] {
                if (!self) return;
                if (snapshot) Q_EMIT self->snapshotReady(snapshot);
                else Q_EMIT self->failed(tr("Cannot copy the generator: %1").arg(error));
            },
            Qt::QueuedConnection);
    });
}

} // namespace latentlab::trainer
