// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <vector>

#include <QImage>
#include <QList>
#include <QStringList>
#include <QWidget>

class QCheckBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSlider;
class QSpinBox;
class QVBoxLayout;

namespace latentlab::explore {

// The explorer's attribute tab: the attribute probe in use, picking the
// samples it scores best for a wish ("Smiling,-Male") into the active group,
// and a slider per attribute direction that moves one face along it.
class AttributeView : public QWidget {
    Q_OBJECT
public:
    explicit AttributeView(QWidget* parent = nullptr);

    // The probe's attribute names; `usable[i]` is false where no direction
    // could be measured (its slider is disabled). `status` says which probe.
    void setProbe(const QStringList& names, const QList<bool>& usable, const QString& status);
    void clearProbe(const QString& status);
    void setStatus(const QString& status);
    // The Train button: enabled when the open checkpoint's data has attributes
    // to learn; while training it reads Cancel.
    void setTrainState(bool possible, bool training, const QString& tooltip = {});
    // Where "Add the best" puts its picks: "A", "B", "C" or "keyframes".
    void setPickTarget(const QString& target);
    bool hasProbe() const { return !names_.isEmpty(); }

    QString wishes() const;
    void setWishes(const QString& wishes);
    int pickCount() const;
    int pickBatches() const;
    bool sortGrid() const;  // order the grid by the wish's score

    // The face being edited: its image and what it is (SEED:INDEX, a file).
    void setFace(const QImage& face, const QString& label);
    void setEdited(const QImage& edited);  // the face moved by the sliders
    void setActive(bool active);           // clicks in the grid choose the face
    std::vector<double> amounts() const;   // one per attribute, slider values
    void setAmount(int attribute, double amount);
    void resetAmounts();                   // all 0, without amountsChanged
    QString editDescription() const;       // e.g. "+1.5 Smiling −0.5 Male"

Q_SIGNALS:
    void loadProbeRequested();
    void trainProbeRequested();   // also a click while training: the owner cancels
    void pickRequested();
    void sortChanged();  // the sort box was ticked or cleared, or the wish changed while it is ticked
    void amountsChanged();
    void activateRequested();             // make the edit face the click target
    void addEditedRequested(int target);  // 0..2 = A, B, C; 3 = keyframes

protected:
    void mousePressEvent(QMouseEvent* event) override;

private:
    QWidget* buildPickBox();
    QWidget* buildEditBox();

    QStringList names_;
    QLabel* probeStatus_ = nullptr;
    QPushButton* train_ = nullptr;
    QLineEdit* wishes_ = nullptr;
    QSpinBox* count_ = nullptr;
    QSpinBox* batches_ = nullptr;
    QPushButton* pick_ = nullptr;
    QCheckBox* sort_ = nullptr;
    QLabel* faceLabel_ = nullptr;
    QLabel* face_ = nullptr;
    QLabel* edited_ = nullptr;
    QGroupBox* editBox_ = nullptr;
    QVBoxLayout* sliders_ = nullptr;
    QWidget* slidersHost_ = nullptr;  // the current probe's sliders, replaced with the probe
    QList<QSlider*> sliderList_;
    QList<QLabel*> valueLabels_;
    QList<QPushButton*> addButtons_;
};

} // namespace latentlab::explore
