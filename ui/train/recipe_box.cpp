// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/recipe_box.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QSettings>
#include <QSpinBox>

#include "common/setting_ranges.h"
#include "train/diff_augment.h"
#include "widgets/validated_field.h"

namespace latentlab::trainer {

RecipeBox::RecipeBox(QWidget* parent) : QGroupBox(tr("Recipe"), parent) {
    auto* form = new QFormLayout(this);
    recipe_ = new QComboBox(this);
    recipe_->setObjectName("recipe");
    for (const auto& name : recipe_names()) recipe_->addItem(QString::fromStdString(name));
    recipe_->setToolTip(tr("stable: EMA of G and instance noise fading to 0 (measured in docs/QUALITY.md).\n"
                           "dcgan: the lecture's DCGAN exactly.\nChoosing one sets every part below."));
    form->addRow(tr("Recipe"), recipe_);

    ema_ = new QCheckBox(tr("Average of G's weights (EMA) for samples"), this);
    ema_->setObjectName("ema");
    ema_->setToolTip(tr("Samples, checkpoints and the explorer use an exponential moving average of G's weights;\n"
                        "G itself trains as before. Smoother, steadier samples."));
    form->addRow(ema_);
    const auto add = [&](const QString& label, ui::ValidatedField* f) {
        fields_[f->objectName()] = f;
        form->addRow(label, f);
    };
    // Ranges and tooltips come from core's table of settings (common/setting_ranges.h).
    const Recipe off;
    const auto setting = [&](const char* key, double value) {
        return ui::ValidatedField::setting(setting_range(key), value, this);
    };
    add(tr("EMA half-life"), setting("ema_halflife", off.ema_halflife));
    add(tr("EMA ramp-up"), setting("ema_rampup", off.ema_rampup));
    d_norm_ = new QComboBox(this);
    d_norm_->setObjectName("dNorm");
    d_norm_->addItems({"batch", "spectral"});
    d_norm_->setToolTip(tr("batch: batch norm in D (the lecture's).\n"
                           "spectral: spectral normalisation of every D layer, no batch norm."));
    form->addRow(tr("D normalisation"), d_norm_);
    loss_ = new QComboBox(this);
    loss_->setObjectName("loss");
    loss_->addItems({"bce", "hinge"});
    loss_->setToolTip(tr("bce: binary cross entropy from logits, G non-saturating (the lecture's).\nhinge: the hinge loss."));
    form->addRow(tr("Loss"), loss_);
    add(tr("D lr × "), setting("d_lr_scale", off.d_lr_scale));
    add(tr("Real label"), setting("real_label", off.real_label));
    add(tr("Instance noise"), setting("instance_noise", off.instance_noise));
    const auto target_check = [](const QString& t) -> QString {
        bool ok = false;
        const double v = t.trimmed().toDouble(&ok);
        if (!ok) return tr("not a number");
        return valid_noise_target(v) ? QString() : tr("must be 0, or from 0.5 to below 1");
    };
    auto* target = new ui::ValidatedField(QString::number(off.noise_target), target_check, this);
    target->setObjectName("noise_target");
    target->setToolTip(tr("When not 0, the instance noise adapts during the run to hold D's accuracy at this value, "
                          "starting\nfrom the instance noise above, and fades to 0 over the run's last quarter "
                          "(0, or 0.5 .. below 1)."));
    add(tr("Noise target"), target);
    auto* augment_row = new QHBoxLayout;
    color_ = new QCheckBox(tr("colour"), this);
    translation_ = new QCheckBox(tr("translation"), this);
    cutout_ = new QCheckBox(tr("cutout"), this);
    for (auto* box : {color_, translation_, cutout_}) {
        box->setToolTip(tr("Differentiable augmentation of real and fake images before D; helps datasets of a few "
                           "thousand images."));
        augment_row->addWidget(box);
    }
    color_->setObjectName("augmentColor");
    translation_->setObjectName("augmentTranslation");
    cutout_->setObjectName("augmentCutout");
    form->addRow(tr("Augment"), augment_row);
    auto* augment_target = new ui::ValidatedField(QString::number(off.augment_target), target_check, this);
    augment_target->setObjectName("augment_target");
    augment_target->setToolTip(tr("When not 0, each image D sees is augmented (as ticked above) with a probability "
                                  "that adapts\nto hold D's accuracy at this value, starting at 0 (0, or 0.5 .. "
                                  "below 1)."));
    add(tr("Augment target"), augment_target);
    add(tr("R1 penalty"), setting("r1_gamma", off.r1_gamma));
    add(tr("R1 interval"), setting("r1_every", off.r1_every));
    pairs_ = new QSpinBox(this);
    pairs_->setObjectName("pairs");
    pairs_->setRange(1, kMaxPairs);
    pairs_->setToolTip(tr("Independent G/D pairs trained on the same batches (1 .. %1). Each epoch every generator is\n"
                          "judged by the other pairs' discriminators; the best one is explored.").arg(kMaxPairs));
    form->addRow(tr("Pairs"), pairs_);

    connect(recipe_, &QComboBox::activated, this, [this] { showRecipe(recipe_->currentText()); });
    showRecipe(QString::fromStdString(kDefaultRecipe));
}

void RecipeBox::setRecipe(const QString& name, int pairs) {
    pairs_->setValue(pairs);
    showRecipe(name);
}

void RecipeBox::showRecipe(const QString& name) {
    TrainConfig c;
    c.use_recipe(name.toStdString());
    c.pairs = pairs_->value();
    showConfig(c);
}

void RecipeBox::showConfig(const TrainConfig& c) {
    recipe_->setCurrentText(QString::fromStdString(c.recipe_name));
    const Recipe& r = c.recipe;
    ema_->setChecked(r.ema);
    fields_.at("ema_halflife")->setText(QString::number(r.ema_halflife));
    fields_.at("ema_rampup")->setText(QString::number(r.ema_rampup));
    d_norm_->setCurrentText(QString::fromStdString(to_string(c.model.d_norm)));
    loss_->setCurrentText(QString::fromStdString(to_string(r.loss)));
    fields_.at("d_lr_scale")->setText(QString::number(r.d_lr_scale));
    fields_.at("real_label")->setText(QString::number(r.real_label));
    fields_.at("instance_noise")->setText(QString::number(r.instance_noise));
    fields_.at("noise_target")->setText(QString::number(r.noise_target));
    fields_.at("augment_target")->setText(QString::number(r.augment_target));
    fields_.at("r1_gamma")->setText(QString::number(r.r1_gamma));
    fields_.at("r1_every")->setText(QString::number(r.r1_every));
    const Augmentations a = parse_augmentations(r.augment);
    color_->setChecked(a.color);
    translation_->setChecked(a.translation);
    cutout_->setChecked(a.cutout);
    pairs_->setValue(c.pairs);
}

bool RecipeBox::apply(TrainConfig& c, QString* error) const {
    for (const auto& [name, f] : fields_)
        if (!f->isValid()) {
            if (error) *error = tr("%1: %2").arg(name, f->error());
            return false;
        }
    c.recipe_name = recipe_->currentText().toStdString();
    Recipe& r = c.recipe;
    r.ema = ema_->isChecked();
    r.ema_halflife = fields_.at("ema_halflife")->toDouble();
    r.ema_rampup = fields_.at("ema_rampup")->toDouble();
    c.model.d_norm = parse_discriminator_norm(d_norm_->currentText().toStdString());
    r.loss = parse_gan_loss(loss_->currentText().toStdString());
    r.d_lr_scale = fields_.at("d_lr_scale")->toDouble();
    r.real_label = fields_.at("real_label")->toDouble();
    r.instance_noise = fields_.at("instance_noise")->toDouble();
    r.noise_target = fields_.at("noise_target")->toDouble();
    r.augment_target = fields_.at("augment_target")->toDouble();
    r.r1_gamma = fields_.at("r1_gamma")->toDouble();
    r.r1_every = static_cast<int>(fields_.at("r1_every")->toDouble());
    Augmentations a;
    a.color = color_->isChecked();
    a.translation = translation_->isChecked();
    a.cutout = cutout_->isChecked();
    r.augment = a.any() ? to_string(a) : "";
    c.pairs = pairs_->value();
    return true;
}

void RecipeBox::saveSettings() const {
    TrainConfig c;
    if (!apply(c, nullptr)) return;
    QSettings s;
    s.beginGroup("recipe");
    s.setValue("name", QString::fromStdString(c.recipe_name));
    s.setValue("ema", c.recipe.ema);
    s.setValue("ema_halflife", c.recipe.ema_halflife);
    s.setValue("ema_rampup", c.recipe.ema_rampup);
    s.setValue("d_norm", QString::fromStdString(to_string(c.model.d_norm)));
    s.setValue("loss", QString::fromStdString(to_string(c.recipe.loss)));
    s.setValue("d_lr_scale", c.recipe.d_lr_scale);
    s.setValue("real_label", c.recipe.real_label);
    s.setValue("instance_noise", c.recipe.instance_noise);
    s.setValue("noise_target", c.recipe.noise_target);
    s.setValue("augment_target", c.recipe.augment_target);
    s.setValue("r1_gamma", c.recipe.r1_gamma);
    s.setValue("r1_every", c.recipe.r1_every);
    s.setValue("augment", QString::fromStdString(c.recipe.augment));
    s.setValue("pairs", c.pairs);
    s.endGroup();
}

void RecipeBox::loadSettings() {
    QSettings s;
    s.beginGroup("recipe");
    if (s.contains("name")) {
        TrainConfig c;
        try {
            c.use_recipe(s.value("name").toString().toStdString());
            c.recipe.ema = s.value("ema", c.recipe.ema).toBool();
            c.recipe.ema_halflife = s.value("ema_halflife", c.recipe.ema_halflife).toDouble();
            c.recipe.ema_rampup = s.value("ema_rampup", c.recipe.ema_rampup).toDouble();
            c.model.d_norm = parse_discriminator_norm(s.value("d_norm").toString().toStdString());
            c.recipe.loss = parse_gan_loss(s.value("loss").toString().toStdString());
            c.recipe.d_lr_scale = s.value("d_lr_scale", c.recipe.d_lr_scale).toDouble();
            c.recipe.real_label = s.value("real_label", c.recipe.real_label).toDouble();
            c.recipe.instance_noise = s.value("instance_noise", c.recipe.instance_noise).toDouble();
            c.recipe.noise_target = s.value("noise_target", c.recipe.noise_target).toDouble();
            c.recipe.augment_target = s.value("augment_target", c.recipe.augment_target).toDouble();
            c.recipe.r1_gamma = s.value("r1_gamma", c.recipe.r1_gamma).toDouble();
            c.recipe.r1_every = s.value("r1_every", c.recipe.r1_every).toInt();
            c.recipe.augment = s.value("augment").toString().toStdString();
            c.pairs = s.value("pairs", 1).toInt();
            c.recipe.validate();
            showConfig(c);
        } catch (const std::exception&) {
            showRecipe(QString::fromStdString(kDefaultRecipe));  // settings from another version: start afresh
        }
    }
    s.endGroup();
}

} // namespace latentlab::trainer
