// SPDX-License-Identifier: GPL-3.0-or-later
// Trains an attribute probe on a dataset's real images and attributes, reports
// its accuracy on the held-out images and saves it (core/latent/attribute_probe.h).
#include <cstdio>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>

#include "command.h"
#include "data/data_source.h"
#include "latent/attribute_probe.h"

namespace latentlab::cli {

Command add_probe_command(CLI::App& app) {
    struct Options {
        std::string data = "synthetic:4096";
        std::string out;
        int size = 32;
        ProbeOptions probe;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand(
        "probe", "Train an attribute probe (a classifier of the data's attributes) and save it");
    cmd->add_option("--data", o->data, "Images with attributes: synthetic[:COUNT] or a CelebA folder")
        ->capture_default_str();
    cmd->add_option("--out", o->out, "Probe file to write (.llprobe, safetensors inside)")->required();
    cmd->add_option("--image-size", o->size, "Size the images are scaled to (that of the generators it will judge)")
        ->check(CLI::IsMember({32, 64, 128}))->capture_default_str();
    cmd->add_option("--steps", o->probe.steps, "Adam steps")->check(CLI::Range(1, 1000000))->capture_default_str();
    cmd->add_option("--batch-size", o->probe.batch_size, "Images per step")->check(CLI::Range(1, 4096))->capture_default_str();
    cmd->add_option("--held-out", o->probe.held_out, "Fraction of the images kept out of training to measure accuracy")
        ->check(CLI::Range(0.0, 0.5))->capture_default_str();
    cmd->add_option("--seed", o->probe.seed, "Seed for weights and batch order (and synthetic data)")->capture_default_str();
    return {cmd, [o] {
                DecodeOptions decode;
                decode.size = o->size;
                const DecodedImages data = load_data(parse_data_spec(o->data), decode, o->probe.seed);
                std::cerr << "training on " << data.count() << " images, " << data.attributes.names.size()
                          << " attributes\n";
                o->probe.progress = [](int step, int steps, double loss) {
                    std::fprintf(stderr, "[%d/%d] loss %.4f\n", step, steps, loss);
                };
                ProbeReport report;
                const AttributeProbe probe = train_attribute_probe(data, o->probe, &report);
                save_attribute_probe(o->out, probe);
                if (report.images > 0) {
                    std::printf("held-out accuracy on %zu images:\n", report.images);
                    for (std::size_t a = 0; a < report.names.size(); ++a)
                        std::printf("  %-20s %.3f\n", report.names[a].c_str(), report.accuracy[a]);
                    std::printf("  %-20s %.3f\n", "mean", report.mean_accuracy());
                }
                std::printf("wrote %s\n", o->out.c_str());
                return kExitOk;
            }};
}

} // namespace latentlab::cli
