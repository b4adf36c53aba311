// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>
#include <mutex>
#include <thread>

#include <QObject>
#include <QString>

#include "data/decoded_images.h"

namespace latentlab::ui {

// What a scan of a data source found: the decoded images (the cache that
// training reads), or the reason there are none.
struct ScanResult {
    QString spec;
    DecodeOptions options;
    std::uint64_t seed = 0;
    std::shared_ptr<const DecodedImages> data;  // null when the scan failed
    QString error;
    QString description;                         // e.g. "image folder /data/faces"
};

// Decodes data sources off the GUI thread. The newest request wins: results
// of scans that were superseded while they ran are dropped.
class DataScanner : public QObject {
    Q_OBJECT
public:
    explicit DataScanner(QObject* parent = nullptr);
    ~DataScanner() override;
    void scan(const QString& spec, const DecodeOptions& options, std::uint64_t seed);
    bool scanning() const { return running_ > 0; }

Q_SIGNALS:
    void scanned(const latentlab::ui::ScanResult& result);

private:
    std::mutex mutex_;
    std::vector<std::thread> threads_;
    int generation_ = 0;
    int running_ = 0;
};

} // namespace latentlab::ui
