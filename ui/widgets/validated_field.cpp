// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/validated_field.h"

#include <cmath>

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>

#include "common/setting_ranges.h"

namespace latentlab::ui {

ValidatedField::ValidatedField(const QString& text, Check check, QWidget* parent)
    : QWidget(parent), check_(std::move(check)) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    edit_ = new QLineEdit(text, this);
    edit_->setMaximumWidth(110);
    reason_ = new QLabel(this);
    reason_->setStyleSheet("color: #c0392b;");
    reason_->setWordWrap(true);
    layout->addWidget(edit_);
    layout->addWidget(reason_, 1);
    connect(edit_, &QLineEdit::textChanged, this, [this] {
        recheck();
        Q_EMIT edited();
    });
    recheck();
}

ValidatedField* ValidatedField::integer(qint64 value, qint64 low, qint64 high, QWidget* parent) {
    return new ValidatedField(QString::number(value), [low, high](const QString& t) -> QString {
        bool ok = false;
        const qint64 v = t.trimmed().toLongLong(&ok);
        if (!ok) return tr("not a whole number");
        if (v < low || v > high) return tr("must be %1 to %2").arg(low).arg(high);
        return {};
    }, parent);
}

ValidatedField* ValidatedField::setting(const SettingRange& range, double value, QWidget* parent) {
    auto* field = new ValidatedField(QString::number(value), [range](const QString& t) -> QString {
        bool ok = false;
        const double v = t.trimmed().toDouble(&ok);
        if (!ok) return range.integer ? tr("not a whole number") : tr("not a number");
        if (range.contains(v)) return {};
        if (range.integer && v == std::floor(v)) return tr("must be %1").arg(QString::fromStdString(range.describe()));
        return range.integer ? tr("must be a whole number, %1").arg(QString::fromStdString(range.describe()))
                             : tr("must be %1").arg(QString::fromStdString(range.describe()));
    }, parent);
    field->setObjectName(QString::fromUtf8(range.key.data(), static_cast<qsizetype>(range.key.size())));
    field->setToolTip(QStringLiteral("%1 (%2).")
                          .arg(QString::fromUtf8(range.help.data(), static_cast<qsizetype>(range.help.size())),
                               QString::fromStdString(range.describe())));
    return field;
}

QString ValidatedField::text() const { return edit_->text().trimmed(); }
void ValidatedField::setText(const QString& text) { edit_->setText(text); }
QString ValidatedField::error() const { return check_(edit_->text()); }
qint64 ValidatedField::toInteger() const { return edit_->text().trimmed().toLongLong(); }
double ValidatedField::toDouble() const { return edit_->text().trimmed().toDouble(); }

void ValidatedField::recheck() {
    const QString e = error();
    reason_->setText(e);
    edit_->setStyleSheet(e.isEmpty() ? QString() : QStringLiteral("border: 1px solid #c0392b;"));
}

} // namespace latentlab::ui
