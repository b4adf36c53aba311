// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/data_scanner.h"

#include <QPointer>

#include "common/error.h"
#include "data/data_source.h"

namespace latentlab::ui {

DataScanner::DataScanner(QObject* parent) : QObject(parent) {}

DataScanner::~DataScanner() {
    for (auto& t : threads_) t.join();
}

void DataScanner::scan(const QString& spec, const DecodeOptions& options, std::uint64_t seed) {
    const int generation = ++generation_;
    ++running_;
    // Scan threads are joined when the scanner goes; a superseded scan runs to its end unseen.
    QPointer<DataScanner> self(this);
    threads_.emplace_back([self, this, spec, options, seed, generation] {
        ScanResult r{spec, options, seed, nullptr, {}, {}};
        try {
            const DataSpec parsed = parse_data_spec(spec.toStdString());
            r.description = QString::fromStdString(parsed.describe());
            r.data = std::make_shared<DecodedImages>(load_data(parsed, options, seed));
        } catch (const std::exception& e) {
            r.error = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(
            self.data(),
            [self, r, generation] {
                if (!self) return;
                --self->running_;
                if (generation == self->generation_) Q_EMIT self->scanned(r);
            },
            Qt::QueuedConnection);
    });
}

} // namespace latentlab::ui
