// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <memory>

#include <QFuture>
#include <QObject>
#include <QString>

namespace latentlab::explore {

// Trains an attribute probe for the explorer on QtConcurrent's pool: reads
// the run's data (which must have attributes: the built-in faces, CelebA) at
// the generator's size, trains the probe (core's train_attribute_probe) and
// saves it, so that the explorer finds it beside the run next time. Signals
// arrive on the owner's thread (a QFutureWatcher for the end, queued calls
// for progress). Destroying it cancels the training and waits for it (one
// training step at most).
class ProbeTraining : public QObject {
    Q_OBJECT
public:
    explicit ProbeTraining(QObject* parent = nullptr);
    ~ProbeTraining() override;

    // `data` is a data SPEC (synthetic:4096, a CelebA folder); the probe is
    // written to `out`. A training still running is cancelled first.
    void start(const QString& data, int size, int channels, const QString& out);
    void cancel();
    bool running() const { return cancel_ != nullptr; }

Q_SIGNALS:
    void progress(int step, int steps, double loss);
    // ok: `message` says the held-out accuracy; else why it failed (naming the data or file).
    void finished(bool ok, const QString& path, const QString& message);

private:
    struct Outcome {
        bool ok = false;
        QString path, message;
    };
    std::shared_ptr<std::atomic<bool>> cancel_;
    QFuture<Outcome> future_;
    quint64 generation_ = 0;  // results of a cancelled or superseded training are dropped
};

} // namespace latentlab::explore
