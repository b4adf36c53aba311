// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <memory>

#include <QFuture>
#include <QObject>
#include <QString>

#include "data/decoded_images.h"

namespace latentlab::trainer {

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

// Decodes data sources off the GUI thread, one scan at a time. The newest
// request wins: a scan still running when another is asked for is cancelled
// (decoding checks a token between files) and its result never shown.
// Destroying the scanner cancels the running scan and returns once it has
// stopped, which takes at most one file's decode.
class DataScanner : public QObject {
    Q_OBJECT
public:
    explicit DataScanner(QObject* parent = nullptr);
    ~DataScanner() override;
    void scan(const QString& spec, const DecodeOptions& options, std::uint64_t seed);
    // Images from files (folders, CelebA, IDX) are decoded into a cache file
    // in `dir` and mapped, not held (a dataset larger than memory can be
    // scanned and trained on); the newest few cache files are kept for the
    // next scan of the same data. Empty (the default): decoded into memory.
    void setCacheFolder(const QString& dir) { cache_folder_ = dir; }
    bool scanning() const { return running_ > 0; }

Q_SIGNALS:
    void scanned(const latentlab::trainer::ScanResult& result);
    // A folder's decode under way: images decoded so far of the total (about every 1000).
    void progress(qulonglong done, qulonglong total);

private:
    // Cancels the running scan and waits for it (at most one file's decode).
    void cancelRunning();

    QFuture<ScanResult> future_;  // the scan on QtConcurrent's pool; its watcher is a child
    std::shared_ptr<std::atomic<bool>> cancel_;
    QString cache_folder_;
    int generation_ = 0;
    int running_ = 0;
};

} // namespace latentlab::trainer
