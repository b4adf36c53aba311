// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/data_scanner.h"

#include <QFutureWatcher>
#include <QMetaObject>
#include <QtConcurrent/QtConcurrentRun>

#include "common/error.h"
#include "data/data_source.h"
#include "data/decoded_cache.h"

namespace latentlab::trainer {
namespace {

constexpr std::size_t kKeptCaches = 4;  // decoded caches kept for the window's next scans

} // namespace

DataScanner::DataScanner(QObject* parent) : QObject(parent) {}

DataScanner::~DataScanner() { cancelRunning(); }

void DataScanner::cancelRunning() {
    if (cancel_) cancel_->store(true);
    future_.waitForFinished();
}

void DataScanner::scan(const QString& spec, const DecodeOptions& options, std::uint64_t seed) {
    cancelRunning();
    const int generation = ++generation_;
    ++running_;
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    // The watcher is this scanner's child: a scanner destroyed first hears nothing.
    auto* watcher = new QFutureWatcher<ScanResult>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        --running_;
        const ScanResult r = watcher->result();
        watcher->deleteLater();
        if (generation == generation_) Q_EMIT scanned(r);
    });
    // Progress crosses to the GUI thread as a queued call with this scanner as
    // its context (the scanner outlives the scan: its destructor waits for
    // it; a call still queued when it is gone is dropped by Qt); a superseded
    // scan's reports are dropped there.
    const auto report = [this, generation](std::size_t done, std::size_t total) {
        QMetaObject::invokeMethod(this, [this, generation, done, total] {
            if (generation == generation_) Q_EMIT progress(done, total);
        }, Qt::QueuedConnection);
    };
    future_ = QtConcurrent::run([spec, options, seed, cancel = cancel_, dir = cache_folder_.toStdString(), report] {
        ScanResult r{spec, options, seed, nullptr, {}, {}};
        DecodeOptions decode = options;
        decode.cancel = cancel.get();
        decode.progress = report;
        try {
            const DataSpec parsed = parse_data_spec(spec.toStdString());
            r.description = QString::fromStdString(parsed.describe());
            if (!parsed.generated() && !dir.empty()) {
                r.data = std::make_shared<DecodedImages>(load_data_with_cache(parsed, decode, seed, dir));
                prune_decoded_caches(dir, kKeptCaches);
            } else {
                r.data = std::make_shared<DecodedImages>(load_data(parsed, decode, seed));
            }
        } catch (const std::exception& e) {
            r.error = QString::fromStdString(e.what());
        } catch (...) {
            r.error = QStringLiteral("%1: the scan failed with an unknown error").arg(spec);
        }
        return r;
    });
    watcher->setFuture(future_);
}

} // namespace latentlab::trainer
