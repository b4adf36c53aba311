// SPDX-License-Identifier: GPL-3.0-or-later
// LibTorch before Qt: Qt's `slots` macro breaks the torch headers.
#include "latent/attribute_probe.h"

#include "explore/probe_training.h"

#include <exception>

#include <ATen/Parallel.h>
#include <QMetaObject>
#include <QPointer>

#include "common/error.h"
#include "data/data_source.h"

namespace latentlab::explore {

ProbeTraining::ProbeTraining(QObject* parent) : QObject(parent) {}

ProbeTraining::~ProbeTraining() {
    if (cancel_) cancel_->store(true);
    join();
}

void ProbeTraining::join() {
    if (thread_.joinable()) thread_.join();
}

void ProbeTraining::cancel() {
    if (!cancel_) return;
    cancel_->store(true);
    cancel_.reset();
    ++generation_;
}

void ProbeTraining::start(const QString& data, int size, int channels, const QString& out) {
    cancel();
    join();  // a cancelled training stops within a step
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    const quint64 generation = ++generation_;
    QPointer<ProbeTraining> self(this);
    // Results are handed to this object's thread; stale ones (a newer start, a cancel) are dropped there.
    const auto post = [self, generation](auto&& f) {
        QMetaObject::invokeMethod(self.data(), [self, generation, f = std::forward<decltype(f)>(f)] {
            if (self && self->generation_ == generation) f(*self);
        }, Qt::QueuedConnection);
    };
    thread_ = std::thread([=, cancel = cancel_, data = data.toStdString(), out = out.toStdString()] {
        at::set_num_threads(1);  // the explorer keeps drawing on the other core
        try {
            DecodeOptions decode;
            decode.size = size;
            decode.channels = channels;
            const DecodedImages images = load_data(parse_data_spec(data), decode, 1);
            if (images.attributes.empty())
                throw Error(data + " has no attributes to learn: a probe needs the built-in faces or CelebA "
                                   "(list_attr_celeba.txt)");
            ProbeOptions options;
            options.cancel = cancel.get();
            options.progress = [&](int step, int steps, double loss) {
                post([=](ProbeTraining& t) { Q_EMIT t.progress(step, steps, loss); });
            };
            ProbeReport report;
            const AttributeProbe probe = train_attribute_probe(images, options, &report);
            save_attribute_probe(out, probe);
            const QString message = QStringLiteral("held-out accuracy %1 on %2 images")
                                        .arg(report.mean_accuracy(), 0, 'f', 3)
                                        .arg(report.images);
            post([=](ProbeTraining& t) {
                t.cancel_.reset();
                Q_EMIT t.finished(true, QString::fromStdString(out), message);
            });
        } catch (const Cancelled&) {
            // cancel() already forgot it
        } catch (const std::exception& e) {
            const QString message = QString::fromStdString(e.what());
            post([=](ProbeTraining& t) {
                t.cancel_.reset();
                Q_EMIT t.finished(false, QString::fromStdString(out), message);
            });
        }
    });
}

} // namespace latentlab::explore
