// SPDX-License-Identifier: GPL-3.0-or-later
// The attribute probe on the built-in faces: it learns their attributes, is a
// function of its seed, survives a save and load exactly, and refuses data
// without attributes, images of another shape and files that are not probes;
// picking by attribute returns the best-scored generated images.
#include <QtTest/QtTest>

#include <ATen/ATen.h>

#include "checkpoint/checkpoint_store.h"
#include "checkpoint/safetensors.h"
#include "data/data_source.h"
#include "engine_fixture.h"
#include "error_of.h"
#include "common/atomic_file.h"
#include "latent/attribute_direction.h"
#include "latent/attribute_pick.h"
#include "latent/attribute_probe.h"

using namespace latentlab;

namespace {

DecodedImages faces(std::size_t count) {
    DecodeOptions o;
    o.size = 32;
    return load_data(parse_data_spec("synthetic:" + std::to_string(count)), o, 11);
}

std::vector<std::int64_t> range(std::int64_t from, std::int64_t to) {
    std::vector<std::int64_t> v;
    for (std::int64_t i = from; i < to; ++i) v.push_back(i);
    return v;
}

} // namespace

class TestAttributeProbe : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

private Q_SLOTS:
    void learns_the_built_in_faces() {
        const DecodedImages data = faces(1024);
        ProbeOptions o;
        o.steps = 250;
        o.held_out = 0.2;
        ProbeReport report;
        const AttributeProbe probe = train_attribute_probe(data, o, &report);
        QCOMPARE(report.images, std::size_t(204));
        QCOMPARE(report.names, data.attributes.names);
        QVERIFY2(report.mean_accuracy() > 0.9, qPrintable(QString::number(report.mean_accuracy())));
        for (const char* name : {"Male", "Smiling", "Eyeglasses", "Long_Hair"}) {
            const auto a = static_cast<std::size_t>(data.attributes.column(name));
            QVERIFY2(report.accuracy[a] > 0.85, qPrintable(QString("%1 %2").arg(name).arg(report.accuracy[a])));
        }
        // Its probabilities are what the held-out report counted.
        const at::Tensor p = attribute_probabilities(probe, images_as_batch(data, range(1000, 1024)));
        QCOMPARE(p.sizes(), (at::IntArrayRef{24, static_cast<std::int64_t>(data.attributes.names.size())}));
        QVERIFY(p.min().item<float>() >= 0.0f && p.max().item<float>() <= 1.0f);
    }

    void a_probe_is_a_function_of_its_seed_and_survives_a_file() {
        const DecodedImages data = faces(256);
        ProbeOptions o;
        o.steps = 20;
        const AttributeProbe a = train_attribute_probe(data, o);
        const AttributeProbe b = train_attribute_probe(data, o);
        o.seed = 2;
        const AttributeProbe c = train_attribute_probe(data, o);
        const at::Tensor images = images_as_batch(data, range(0, 16));
        const at::Tensor pa = attribute_probabilities(a, images);
        QVERIFY(at::equal(pa, attribute_probabilities(b, images)));
        QVERIFY(!at::equal(pa, attribute_probabilities(c, images)));
        const std::string path = dir_.filePath("faces.llprobe").toStdString();
        save_attribute_probe(path, a);
        const AttributeProbe loaded = load_attribute_probe(path);
        QCOMPARE(loaded.names, a.names);
        QCOMPARE(loaded.image_size, 32);
        QCOMPARE(loaded.channels, 3);
        QVERIFY(at::equal(pa, attribute_probabilities(loaded, images)));
    }

    void refusals_name_the_reason() {
        DecodeOptions o;
        o.size = 32;
        const DecodedImages plain = load_data(parse_data_spec("random:16"), o, 1);
        QVERIFY(error_of([&] { train_attribute_probe(plain, ProbeOptions{}); }).contains("no attributes"));

        const DecodedImages data = faces(64);
        ProbeOptions quick;
        quick.steps = 1;
        const AttributeProbe probe = train_attribute_probe(data, quick);
        QVERIFY(error_of([&] { attribute_probabilities(probe, at::zeros({2, 3, 64, 64})); }).contains("[N, 3, 32, 32]"));

        const std::string other = dir_.filePath("other.safetensors").toStdString();
        write_file_atomically(other, encode_safetensors({{"w", at::zeros({2})}}, {{"format", "something-else"}}));
        QVERIFY(error_of([&] { load_attribute_probe(other); }).contains("not an attribute probe"));

        const std::string good = dir_.filePath("good.llprobe").toStdString();
        save_attribute_probe(good, probe);
        NamedTensors tensors;
        for (const auto& p : probe.net->named_parameters()) tensors.emplace_back(p.key(), p.value());
        for (const auto& b : probe.net->named_buffers()) tensors.emplace_back(b.key(), b.value());
        tensors.front().second = at::zeros({7});  // a misshapen first bias
        const std::string misshapen = dir_.filePath("misshapen.llprobe").toStdString();
        write_file_atomically(misshapen, encode_safetensors(tensors, {{"format", "latentlab-attribute-probe"},
                                                                      {"version", "1"},
                                                                      {"names", "[\"Male\"]"},
                                                                      {"image_size", "32"},
                                                                      {"channels", "3"}}));
        const QString message = error_of([&] { load_attribute_probe(misshapen); });
        QVERIFY2(message.startsWith(QString::fromStdString(misshapen)) && message.contains("the probe needs"),
                 qPrintable(message));
        QVERIFY(error_of([&] { load_attribute_probe(dir_.filePath("missing.llprobe").toStdString()); })
                    .contains("cannot open"));
    }

    void wishes_multiply_probabilities() {
        const std::vector<std::string> names{"Male", "Smiling"};
        const auto wishes = parse_attribute_wishes("Smiling,-Male", names);
        QCOMPARE(wishes.size(), std::size_t(2));
        QCOMPARE(wishes[0].column, 1);
        QVERIFY(wishes[0].present);
        QCOMPARE(wishes[1].column, 0);
        QVERIFY(!wishes[1].present);
        const at::Tensor p = at::tensor({0.2f, 0.9f, 0.5f, 0.5f}).reshape({2, 2});
        const at::Tensor s = wish_scores(p, wishes);
        QVERIFY(std::abs(s[0].item<float>() - 0.72f) < 1e-6f);
        QVERIFY(std::abs(s[1].item<float>() - 0.25f) < 1e-6f);
        const QString unknown = error_of([&] { parse_attribute_wishes("Smiling,Frowning", names); });
        QVERIFY2(unknown.contains("'Frowning'") && unknown.contains("Male, Smiling"), qPrintable(unknown));
        QVERIFY(error_of([&] { parse_attribute_wishes(",", names); }).contains("no attribute"));
    }

    void picks_and_directions_follow_the_probe() {
        const std::string run = dir_.filePath("run").toStdString();
        Engine engine(testing::tiny_config(run, 4), testing::tiny_faces(512));
        QCOMPARE(int(engine.run().reason), int(EndReason::Finished));
        GeneratorSnapshot g = load_generator(CheckpointStore::latest_in(run), c10::kCPU);
        ProbeOptions quick;
        quick.steps = 150;
        const AttributeProbe probe = train_attribute_probe(faces(512), quick);
        const auto wishes = parse_attribute_wishes("Smiling,-Eyeglasses", probe.names);
        const auto picks = pick_by_attributes(g, probe, wishes, 5, 40, 2, 16);
        QCOMPARE(picks.size(), std::size_t(5));
        // Every image of the two batches, scored: none left out beats a pick.
        std::vector<double> all;
        for (std::uint64_t seed : {40u, 41u}) {
            const at::Tensor images = draw_values(g, view_batch(g, seed, 16, {}), {});
            const at::Tensor s = wish_scores(attribute_probabilities(probe, images), wishes).to(at::kDouble);
            for (int i = 0; i < 16; ++i) all.push_back(s[i].item<double>());
        }
        std::sort(all.begin(), all.end(), std::greater<>());
        for (std::size_t k = 0; k < picks.size(); ++k) {
            QVERIFY(picks[k].ref.seed == 40 || picks[k].ref.seed == 41);
            QVERIFY(std::abs(picks[k].score - all[k]) < 1e-6);
            if (k > 0) QVERIFY(picks[k].score <= picks[k - 1].score);
            // The reference alone draws the image that was scored (running batch-norm statistics).
            const at::Tensor alone = draw_values(g, view_latents(g, {picks[k].ref}, {}), {});
            const double score = wish_scores(attribute_probabilities(probe, alone), wishes)[0].item<double>();
            QVERIFY2(std::abs(score - picks[k].score) < 1e-5, qPrintable(QString("%1 vs %2").arg(score).arg(picks[k].score)));
        }
        // Along the direction measured for an attribute, the probe finds more of
        // it. A one-epoch generator draws few smiles; the attribute taken is the
        // one its faces split most evenly on, as the probe sees them.
        const at::Tensor p = attribute_probabilities(probe, draw_values(g, view_batch(g, 100, 64, {}), {}));
        const int column = static_cast<int>((p > 0.5).to(at::kFloat).mean(0).sub(0.5).abs().argmin().item<std::int64_t>());
        const std::string name = probe.names[static_cast<std::size_t>(column)];
        const AttributeDirection d = attribute_direction(g, probe, name, 512, 100);
        QCOMPARE(d.name, name);
        QCOMPARE(d.with + d.without, std::size_t(512));
        QCOMPARE(d.direction.sizes(), (at::IntArrayRef{g.model.nz}));
        // Faces without it gain it along +d; faces with it lose it along -d.
        std::vector<at::Tensor> batches;  // the samples the direction was measured on
        for (std::uint64_t seed = 100; seed < 108; ++seed) batches.push_back(view_batch(g, seed, 64, {}));
        const at::Tensor z = at::cat(batches);
        const auto score = [&](const at::Tensor& latents, double amount) {
            const at::Tensor moved = latents + d.direction.unsqueeze(0) * amount;
            return attribute_probabilities(probe, draw_values(g, moved, {})).select(1, column);
        };
        const at::Tensor has = score(z, 0.0) > 0.5;
        const at::Tensor with = z.index({has}), without = z.index({has.logical_not()});
        QCOMPARE(std::size_t(with.size(0)), d.with);
        QCOMPARE(std::size_t(without.size(0)), d.without);
        const double gained = score(without, 2.0).mean().item<double>() - score(without, 0.0).mean().item<double>();
        const double lost = score(with, 0.0).mean().item<double>() - score(with, -2.0).mean().item<double>();
        QVERIFY2(gained > 0.1 && lost > 0.1,
                 qPrintable(QString("%1: gained %2, lost %3").arg(QString::fromStdString(name)).arg(gained).arg(lost)));
        QCOMPARE(attribute_strip(g, d, LatentRef{7, 0}, {-1.0, 0.0, 1.0}).width, 3 * 32);
        // All directions at once (the explorer's sliders): the same as one by one.
        const std::vector<AttributeDirection> directions = attribute_directions(g, probe, 128, 100);
        const AttributeDirection one = attribute_direction(g, probe, name, 128, 100);
        QCOMPARE(directions.size(), probe.names.size());
        QCOMPARE(directions[std::size_t(column)].with, one.with);
        QVERIFY(at::allclose(directions[std::size_t(column)].direction, one.direction, 1e-5, 1e-6));
        for (const AttributeDirection& a : directions) QCOMPARE(a.direction.defined(), a.with > 0 && a.without > 0);
        QVERIFY(error_of([&] { attribute_direction(g, probe, "Frowning"); }).contains("'Frowning'"));

        ProbeOptions at64 = quick;
        DecodeOptions o64;
        o64.size = 64;
        const AttributeProbe wrong_size = train_attribute_probe(load_data(parse_data_spec("synthetic:64"), o64, 1), at64);
        QVERIFY(error_of([&] { pick_by_attributes(g, wrong_size, wishes, 1, 1, 1, 4); }).contains("[N, 3, 64, 64]"));
    }
};

QTEST_APPLESS_MAIN(TestAttributeProbe)
#include "test_attribute_probe.moc"
