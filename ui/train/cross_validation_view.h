// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <vector>

#include <QWidget>

#include "train/cross_validation.h"

class QCustomPlot;

namespace latentlab::trainer {

// The pairs' cross-validation, live: a heat map of how often each
// discriminator (columns) calls each generator's samples (rows) real, with
// the best generator's row outlined, and each generator's score over the
// run (the mean over the other pairs' discriminators).
class CrossValidationView : public QWidget {
    Q_OBJECT
public:
    explicit CrossValidationView(QWidget* parent = nullptr);

    void clear();
    void add(const CrossValidation& cv);
    const std::vector<CrossValidation>& history() const { return history_; }
    QWidget* heatMap() const { return heat_map_; }
    QWidget* singlePairHint() const { return single_pair_hint_; }

protected:
    void changeEvent(QEvent* event) override;  // follows palette changes

private:
    std::vector<CrossValidation> history_;
    QWidget* heat_map_;
    QCustomPlot* scores_;
    QWidget* single_pair_hint_;  // one pair has no other discriminator to judge it
};

} // namespace latentlab::trainer
