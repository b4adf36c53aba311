// SPDX-License-Identifier: GPL-3.0-or-later
#include <QtTest/QtTest>

#include "train/health_monitor.h"

using namespace latentlab;

namespace {
IterationMetrics healthy(std::int64_t iteration, double loss_d = 0.7) {
    IterationMetrics m;
    m.iteration = iteration;
    m.loss_d = loss_d;
    m.loss_g = 1.5;
    m.accuracy_real = 0.7;
    m.accuracy_fake = 0.6;
    return m;
}
}

class TestHealthMonitor : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void non_finite_loss_is_reported_once() {
        HealthMonitor h;
        QVERIFY(!h.add(healthy(1)));
        IterationMetrics bad = healthy(2);
        bad.finite = false;
        const auto w = h.add(bad);
        QVERIFY(w.has_value());
        QCOMPARE(int(w->kind), int(HealthWarning::Kind::NonFinite));
        QVERIFY(QString::fromStdString(w->message).contains("iteration 2"));
        QVERIFY(QString::fromStdString(w->advice).contains("Roll back"));
        QVERIFY(!h.add(bad));  // once
    }

    void a_discriminator_that_wins_for_a_long_stretch() {
        HealthMonitor h;
        for (std::int64_t i = 1; i < HealthMonitor::kLongStretch; ++i) QVERIFY(!h.add(healthy(i, 0.01)));
        const auto w = h.add(healthy(HealthMonitor::kLongStretch, 0.01));
        QVERIFY(w.has_value());
        QCOMPARE(int(w->kind), int(HealthWarning::Kind::DiscriminatorWins));
        QVERIFY(!h.add(healthy(HealthMonitor::kLongStretch + 1, 0.01)));  // not again while it lasts
        // A short stretch, broken by one normal iteration, raises nothing.
        HealthMonitor g;
        for (std::int64_t i = 1; i < 3 * HealthMonitor::kLongStretch; ++i)
            QVERIFY(!g.add(healthy(i, i % 150 == 0 ? 0.7 : 0.01)));
        // Near-perfect accuracy counts as winning too.
        HealthMonitor a;
        std::optional<HealthWarning> last;
        for (std::int64_t i = 1; i <= HealthMonitor::kLongStretch; ++i) {
            IterationMetrics m = healthy(i, 0.2);
            m.accuracy_real = m.accuracy_fake = 1.0;
            last = a.add(m);
        }
        QVERIFY(last.has_value());
    }

    void collapsing_samples() {
        HealthMonitor h;
        QVERIFY(!h.add_samples(0.20, 50));
        QVERIFY(!h.add_samples(0.02, 100));  // too early to judge
        QVERIFY(!h.add_samples(0.18, 300));
        const auto w = h.add_samples(0.05, 400);  // below 30% of the best (0.20)
        QVERIFY(w.has_value());
        QCOMPARE(int(w->kind), int(HealthWarning::Kind::ModeCollapse));
        QVERIFY(!h.add_samples(0.04, 500));
        QVERIFY(!h.add_samples(0.15, 600));  // recovered
        QVERIFY(h.add_samples(0.03, 700).has_value());  // and collapsed again
    }
};

QTEST_APPLESS_MAIN(TestHealthMonitor)
#include "test_health_monitor.moc"
