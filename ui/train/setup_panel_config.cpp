// SPDX-License-Identifier: GPL-3.0-or-later
// SetupPanel's settings as a whole: to and from a TrainConfig, and kept in QSettings.
#include "train/setup_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QSettings>
#include <QSpinBox>

#include "run/tensorboard_log.h"
#include "train/quick_start.h"
#include "train/recipe_box.h"
#include "widgets/validated_field.h"

namespace latentlab::trainer {

std::optional<TrainConfig> SetupPanel::config(QString* error) const {
    for (const auto& [name, f] : fields_) {
        if (!f->isValid()) {
            if (error) *error = tr("%1: %2").arg(name, f->error());
            return std::nullopt;
        }
    }
    if (run_folder_->text().trimmed().isEmpty()) {
        if (error) *error = tr("Choose a run folder.");
        return std::nullopt;
    }
    TrainConfig c = base_;
    c.data = dataSpec().toStdString();
    c.run_dir = run_folder_->text().trimmed().toStdString();
    c.model.image_size = image_size_->currentText().toInt();
    c.channels_auto = channels_->currentIndex() == 0;
    if (!c.channels_auto) c.model.channels = channels_->currentText().toInt();
    c.epochs = static_cast<int>(fields_.at("epochs")->toInteger());
    c.batch_size = static_cast<int>(fields_.at("batch_size")->toInteger());
    c.model.nz = fields_.at("nz")->toInteger();
    c.model.ngf = fields_.at("ngf")->toInteger();
    c.model.ndf = fields_.at("ndf")->toInteger();
    c.lr = fields_.at("lr")->toDouble();
    c.beta1 = fields_.at("beta1")->toDouble();
    c.seed = static_cast<std::uint64_t>(fields_.at("seed")->toInteger());
    c.flip = flip_->isChecked();
    c.tensorboard = tensorboard_->isChecked();
    c.device = device_->currentData().toString().toStdString();
    c.precision = precision_->currentData().toString().toStdString();
    if (!recipe_box_->apply(c, error)) return std::nullopt;
    try {
        c.validate();
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        return std::nullopt;
    }
    return c;
}

void SetupPanel::setConfig(const TrainConfig& c) {
    base_ = c;
    const auto text = [](double v) { return QString::number(v, 'g', 15); };
    setDataSource(QString::fromStdString(c.data));
    setRunFolder(QString::fromStdString(c.run_dir));
    image_size_->setCurrentText(QString::number(c.model.image_size));
    channels_->setCurrentIndex(c.channels_auto ? 0 : channels_->findText(QString::number(c.model.channels)));
    fields_.at("epochs")->setText(text(c.epochs));
    fields_.at("batch_size")->setText(text(c.batch_size));
    fields_.at("nz")->setText(text(static_cast<double>(c.model.nz)));
    fields_.at("ngf")->setText(text(static_cast<double>(c.model.ngf)));
    fields_.at("ndf")->setText(text(static_cast<double>(c.model.ndf)));
    fields_.at("lr")->setText(text(c.lr));
    fields_.at("beta1")->setText(text(c.beta1));
    fields_.at("seed")->setText(QString::number(c.seed));
    flip_->setChecked(c.flip);
    tensorboard_->setChecked(c.tensorboard && tensorboard_available());
    // A device this machine lacks (a GPU run opened on a laptop) leaves the choice as it is.
    const int device = device_->findData(QString::fromStdString(c.device));
    if (device >= 0) device_->setCurrentIndex(device);
    const int precision = precision_->findData(QString::fromStdString(c.precision));
    if (precision >= 0) precision_->setCurrentIndex(precision);
    recipe_box_->showConfig(c);
}

void SetupPanel::saveSettings() const {
    QSettings s;
    s.beginGroup("setup");
    s.setValue("source", source_->currentIndex());
    s.setValue("synthetic_count", synthetic_count_->value());
    s.setValue("path", path_->text());
    s.setValue("image_size", image_size_->currentIndex());
    s.setValue("channels", channels_->currentIndex());
    s.setValue("flip", flip_->isChecked());
    s.setValue("tensorboard", tensorboard_->isChecked());
    s.setValue("device", device_->currentData());
    s.setValue("precision", precision_->currentData());
    for (const auto& [name, f] : fields_) s.setValue(name, f->text());
    s.endGroup();
    recipe_box_->saveSettings();
}

void SetupPanel::loadSettings() {
    QSettings s;
    s.beginGroup("setup");
    if (s.contains("source")) {
        source_->setCurrentIndex(s.value("source").toInt());
        synthetic_count_->setValue(s.value("synthetic_count", static_cast<int>(kQuickStartFaces)).toInt());
        path_->setText(s.value("path").toString());
        image_size_->setCurrentIndex(s.value("image_size", 0).toInt());
        channels_->setCurrentIndex(s.value("channels", 0).toInt());
        flip_->setChecked(s.value("flip", false).toBool());
        tensorboard_->setChecked(s.value("tensorboard", true).toBool() && tensorboard_available());
        const int precision = precision_->findData(s.value("precision", precision_->currentData()));
        if (precision >= 0) precision_->setCurrentIndex(precision);
        for (const auto& [name, f] : fields_)
            if (s.contains(name)) f->setText(s.value(name).toString());
    }
    s.endGroup();
    recipe_box_->loadSettings();
    updateSourceWidgets();
    scheduleScan();
}

} // namespace latentlab::trainer
