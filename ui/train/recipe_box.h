// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <map>

#include <QGroupBox>

#include "train/train_config.h"

class QCheckBox;
class QComboBox;
class QSpinBox;

namespace latentlab::ui {
class ValidatedField;
} // namespace latentlab::ui

namespace latentlab::trainer {


// The training recipe of a new run: a named recipe (which sets every part)
// and each part on its own: EMA of G, D's normalisation, the loss, D's
// learning-rate scale, the real label, instance noise, augmentation, and the
// number of cross-validated pairs. Every setting has a tooltip with what it
// does and its range; the CLI has the same flags.
class RecipeBox : public QGroupBox {
    Q_OBJECT
public:
    explicit RecipeBox(QWidget* parent = nullptr);

    // Shows `config`'s recipe, parts and pairs.
    void showConfig(const TrainConfig& config);
    // Writes the chosen recipe, parts and pairs into `config`; false with the
    // reason in `error` when a field is not valid.
    bool apply(TrainConfig& config, QString* error) const;

    // Shows the named recipe's parts with `pairs` pairs (for scripts and tests).
    void setRecipe(const QString& name, int pairs);

    void saveSettings() const;
    void loadSettings();

private:
    void showRecipe(const QString& name);

    QComboBox* recipe_;
    QCheckBox* ema_;
    QComboBox* d_norm_;
    QComboBox* loss_;
    QCheckBox* color_;
    QCheckBox* translation_;
    QCheckBox* cutout_;
    QSpinBox* pairs_;
    std::map<QString, ui::ValidatedField*> fields_;
};

} // namespace latentlab::trainer
