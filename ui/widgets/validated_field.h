// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>

#include <QWidget>

class QLineEdit;
class QLabel;

namespace latentlab {
struct SettingRange;
}

namespace latentlab::ui {

// A line edit checked as the user types: when the text is not acceptable the
// reason appears next to it in red. The check returns an empty string when
// the text is fine.
class ValidatedField : public QWidget {
    Q_OBJECT
public:
    using Check = std::function<QString(const QString&)>;
    ValidatedField(const QString& text, Check check, QWidget* parent = nullptr);

    // Whole numbers in [low, high].
    static ValidatedField* integer(qint64 value, qint64 low, qint64 high, QWidget* parent);
    // A numeric training setting, checked against core's range for it; its
    // tooltip is the setting's help with the range.
    static ValidatedField* setting(const SettingRange& range, double value, QWidget* parent);

    QString text() const;
    void setText(const QString& text);
    bool isValid() const { return error().isEmpty(); }
    QString error() const;
    qint64 toInteger() const;
    double toDouble() const;
    QLineEdit* edit() const { return edit_; }

Q_SIGNALS:
    void edited();

private:
    void recheck();

    Check check_;
    QLineEdit* edit_;
    QLabel* reason_;
};

} // namespace latentlab::ui
