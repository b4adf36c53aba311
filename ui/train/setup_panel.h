// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <map>
#include <memory>
#include <optional>

#include <QWidget>

#include "train/data_scanner.h"
#include "train/train_config.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;
class QTimer;

namespace latentlab::ui {
class PixelView;
class ValidatedField;
} // namespace latentlab::ui

namespace latentlab::trainer {

class RecipeBox;

// The settings of a new run: the data source (with a scan that decodes it,
// previews a few images exactly as the model will see them and lists the
// files it skipped), the model and optimiser settings, the device and the run
// folder. Fields are checked as typed; the last settings are remembered.
class SetupPanel : public QWidget {
    Q_OBJECT
public:
    explicit SetupPanel(QWidget* parent = nullptr);
    ~SetupPanel() override;

    // The run these settings describe, or nothing with the reason in `error`.
    // Settings the window has no field for (workers, log interval, crops, ...)
    // keep the values of the last setConfig(), or TrainConfig's defaults.
    std::optional<TrainConfig> config(QString* error) const;
    // Shows every setting of `config` (an opened run's): data, run folder,
    // model, optimiser, flips, TensorBoard, device (when this machine has it)
    // and the recipe, and keeps the settings without a field for config().
    void setConfig(const TrainConfig& config);
    // The decoded data for the current data settings once the scan is done.
    std::shared_ptr<const DecodedImages> scannedData() const;
    bool scanPending() const;

    void setDataSource(const QString& spec_or_path);
    void setRunFolder(const QString& dir);
    void setLocked(bool locked);  // while a run trains
    void saveSettings() const;
    void loadSettings();

    // For tests and scripts: the field widgets by name (e.g. "batch_size").
    ui::ValidatedField* field(const QString& name) const;
    RecipeBox* recipeBox() const { return recipe_box_; }
    DataScanner* scanner() { return &scanner_; }

Q_SIGNALS:
    void dataScanned(bool ok);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    QString dataSpec() const;
    DecodeOptions decodeOptions() const;
    void scheduleScan();
    void startScan();
    void showScan(const ScanResult& result);
    void updateSourceWidgets();
    static QString defaultRunFolder();

    DataScanner scanner_;
    QTimer* scan_timer_;
    std::optional<ScanResult> scan_;

    QComboBox* source_;
    QSpinBox* synthetic_count_;
    QLineEdit* path_;
    QPushButton* browse_;
    QLabel* scan_status_;
    QListWidget* skipped_;
    ui::PixelView* preview_;
    QComboBox* image_size_;
    QComboBox* channels_;
    QCheckBox* flip_;
    QCheckBox* tensorboard_;
    QComboBox* device_;
    QComboBox* precision_;
    QLineEdit* run_folder_;
    RecipeBox* recipe_box_;
    std::map<QString, ui::ValidatedField*> fields_;
    TrainConfig base_;  // what config() starts from: the fieldless settings
};

} // namespace latentlab::trainer
