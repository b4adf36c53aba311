// SPDX-License-Identifier: GPL-3.0-or-later
// Cross-validated G/D pairs: every discriminator judges every generator.
#include <QtTest/QtTest>

#include <fstream>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "checkpoint/checkpoint_store.h"
#include "checkpoint/generator_snapshot.h"
#include "engine_fixture.h"
#include "train/engine.h"

using namespace latentlab;
using namespace latentlab::testing;

namespace {

class CrossValidationLog : public TrainingObserver {
public:
    std::vector<CrossValidation> seen;
    void on_cross_validation(const CrossValidation& cv) override { seen.push_back(cv); }
};

std::vector<nlohmann::json> read_jsonl(const std::string& path) {
    std::vector<nlohmann::json> out;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
    return out;
}

} // namespace

class TestPairs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void frozen_generator_scores_worst() {
        QTemporaryDir dir;
        TrainConfig c = tiny_config(dir.path().toStdString(), 3);
        c.pairs = 2;
        Engine engine(c, tiny_faces(256));
        QCOMPARE(engine.pair_count(), 2);
        // The second pair's G never leaves its random initial weights.
        const auto initial = engine.pair(1).generator()->parameters().front().clone();
        engine.pair(1).freeze_generator();
        CrossValidationLog log;
        engine.add_observer(&log);
        QCOMPARE(int(engine.run().reason), int(EndReason::Finished));
        QVERIFY(torch::equal(engine.pair(1).generator()->parameters().front(), initial));

        QCOMPARE(log.seen.size(), std::size_t(3));  // one per epoch
        const CrossValidation& last = log.seen.back();
        QCOMPARE(last.fooled.size(), std::size_t(2));
        QCOMPARE(last.fooled[0].size(), std::size_t(2));
        QVERIFY2(last.scores[0] > last.scores[1],
                 qPrintable(QString("G1 %1, frozen G2 %2").arg(last.scores[0]).arg(last.scores[1])));
        QCOMPARE(last.best, 0);
        QCOMPARE(engine.best_pair(), 0);

        // The run folder has the matrix once per epoch.
        const auto lines = read_jsonl(c.run_dir + "/crossval.jsonl");
        QCOMPARE(lines.size(), std::size_t(3));
        QCOMPARE(lines.back().at("fooled").size(), std::size_t(2));
        QCOMPARE(lines.back().at("best").get<int>(), 0);

        // The checkpoint holds both pairs and opens the best one's generator.
        GeneratorSnapshot best = load_generator(CheckpointStore::latest_in(c.run_dir), torch::kCPU);
        const auto expected = engine.sampling_generator()->parameters().front();
        QVERIFY(torch::equal(best.generator->parameters().front().contiguous(), expected.contiguous()));
    }

    void a_better_generator_can_win() {
        // When the first pair's G is the frozen one, the second pair is chosen.
        QTemporaryDir dir;
        TrainConfig c = tiny_config(dir.path().toStdString(), 3);
        c.pairs = 2;
        Engine engine(c, tiny_faces(256));
        engine.pair(0).freeze_generator();
        QCOMPARE(int(engine.run().reason), int(EndReason::Finished));
        QCOMPARE(engine.best_pair(), 1);
        GeneratorSnapshot best = load_generator(CheckpointStore::latest_in(c.run_dir), torch::kCPU);
        QVERIFY(torch::equal(best.generator->parameters().front().contiguous(),
                             engine.pair(1).sampling_generator()->parameters().front().contiguous()));
    }

    void on_demand_cross_validation() {
        QTemporaryDir dir;
        TrainConfig c = tiny_config(dir.path().toStdString(), 1);
        c.pairs = 3;
        Engine engine(c, tiny_faces(64));
        CrossValidationLog log;
        engine.add_observer(&log);
        engine.control().request_cross_validation();
        QCOMPARE(int(engine.run().reason), int(EndReason::Finished));
        QCOMPARE(log.seen.size(), std::size_t(2));  // the one asked for, then the epoch end
        QCOMPARE(log.seen.front().iteration, std::int64_t(0));
        QCOMPARE(log.seen.front().fooled.size(), std::size_t(3));
        for (const auto& row : log.seen.back().fooled)
            for (double f : row) QVERIFY(f >= 0.0 && f <= 1.0);
    }
};

QTEST_APPLESS_MAIN(TestPairs)
#include "test_pairs.moc"
