// SPDX-License-Identifier: GPL-3.0-or-later
// LibTorch before Qt: Qt's `slots` macro breaks the torch headers.
#include "latent/attribute_probe.h"

#include "explore/probe_training.h"

#include <exception>

#include <ATen/Parallel.h>
#include <QFutureWatcher>
#include <QMetaObject>
#include <QtConcurrent/QtConcurrentRun>

#include "common/error.h"
#include "data/data_source.h"

namespace latentlab::explore {

ProbeTraining::ProbeTraining(QObject* parent) : QObject(parent) {}

ProbeTraining::~ProbeTraining() {
    if (cancel_) cancel_->store(true);
    future_.waitForFinished();
}

void ProbeTraining::cancel() {
    if (!cancel_) return;
    cancel_->store(true);
    cancel_.reset();
    ++generation_;
}

void ProbeTraining::start(const QString& data, int size, int channels, const QString& out) {
    cancel();
    future_.waitForFinished();  // a cancelled training stops within a step
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    const quint64 generation = ++generation_;
    // The watcher is a child: an object destroyed first hears nothing.
    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        const Outcome o = watcher->result();
        watcher->deleteLater();
        if (generation != generation_) return;  // cancelled or superseded
        cancel_.reset();
        Q_EMIT finished(o.ok, o.path, o.message);
    });
    // Progress crosses as queued calls with this object as context (it outlives
    // the training: its destructor waits); stale reports are dropped there.
    const auto report = [this, generation](int step, int steps, double loss) {
        QMetaObject::invokeMethod(this, [this, generation, step, steps, loss] {
            if (generation == generation_) Q_EMIT progress(step, steps, loss);
        }, Qt::QueuedConnection);
    };
    future_ = QtConcurrent::run([=, cancel = cancel_, spec = data.toStdString()]() -> Outcome {
        at::set_num_threads(1);  // the explorer keeps drawing on the other core
        Outcome o;
        o.path = out;
        try {
            DecodeOptions decode;
            decode.size = size;
            decode.channels = channels;
            const DecodedImages images = load_data(parse_data_spec(spec), decode, 1);
            if (images.attributes.empty())
                throw Error(spec + " has no attributes to learn: a probe needs the built-in faces or CelebA "
                                   "(list_attr_celeba.txt)");
            ProbeOptions options;
            options.cancel = cancel.get();
            options.progress = report;
            ProbeReport held_out;
            const AttributeProbe probe = train_attribute_probe(images, options, &held_out);
            save_attribute_probe(out.toStdString(), probe);
            o.ok = true;
            o.message = QStringLiteral("held-out accuracy %1 on %2 images")
                            .arg(held_out.mean_accuracy(), 0, 'f', 3)
                            .arg(held_out.images);
        } catch (const Cancelled&) {
            o.message = QStringLiteral("cancelled");  // cancel() already forgot it
        } catch (const std::exception& e) {
            o.message = QString::fromStdString(e.what());
        }
        return o;
    });
    watcher->setFuture(future_);
}

} // namespace latentlab::explore
