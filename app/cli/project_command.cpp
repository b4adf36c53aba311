// SPDX-License-Identifier: GPL-3.0-or-later
// project: find the latents whose generated images reconstruct given images.
#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <ATen/ATen.h>

#include "command.h"
#include "checkpoint/generator_snapshot.h"
#include "common/error.h"
#include "imaging/layouts.h"
#include "imaging/png_file.h"
#include "interrupt_watch.h"
#include "latent/latent_set_file.h"
#include "latent/latent_views.h"
#include "latent/projection.h"
#include "models/generate.h"
#include "train/device.h"
#include "train/engine_control.h"
#include "data/image_inputs.h"

namespace latentlab::cli {
namespace {

constexpr std::int64_t kProjectBatch = 64;            // images projected together
constexpr int kProgressLines = 10;                    // progress lines per batch

std::string sheet_path(const std::string& out) {
    const std::string ext = ".json";
    const bool json = out.size() > ext.size() && out.compare(out.size() - ext.size(), ext.size(), ext) == 0;
    return (json ? out.substr(0, out.size() - ext.size()) : out) + "-sheet.png";
}

} // namespace

Command add_project_command(CLI::App& app) {
    struct Options {
        std::string checkpoint, out, device = "auto";
        std::vector<std::string> images;
        bool raw = false;
        ProjectionOptions projection;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand(
        "project", "Find latents whose generated images reconstruct given images; writes them as a latents file "
                   "(FILE#INDEX refers to image INDEX) and a sheet of original | reconstruction pairs");
    cmd->add_option("--checkpoint", o->checkpoint, "A .llck checkpoint file")->required();
    cmd->add_option("--images", o->images, "Image files or folders of images (centre square, scaled to the model's size)")
        ->required()->expected(1, -1);
    cmd->add_option("--out", o->out, "Latents file to write (JSON); the sheet goes beside it as NAME-sheet.png")->required();
    cmd->add_option("--steps", o->projection.steps, "Gradient steps")->check(CLI::Range(0, 100000))->capture_default_str();
    cmd->add_option("--restarts", o->projection.restarts, "Random starting latents tried per image; the best is refined")
        ->check(CLI::Range(1, 4096))->capture_default_str();
    cmd->add_option("--seed", o->projection.seed, "Seed of the starting latents")->capture_default_str();
    cmd->add_option("--lr", o->projection.learning_rate, "Peak learning rate of the descent")
        ->check(CLI::Range(1e-6, 10.0))->capture_default_str();
    cmd->add_option("--feature-weight", o->projection.feature_weight,
                    "Weight of the discriminator-feature distance in the loss (0: pixels only)")
        ->check(CLI::Range(0.0, 1000.0))->capture_default_str();
    cmd->add_option("--device", o->device, "auto, cpu, cuda or cuda:N")->capture_default_str();
    cmd->add_flag("--raw", o->raw, "Project into the generator as trained, not the moving average of its weights (EMA)");
    return {cmd, [o] {
                GeneratorSnapshot g = load_generator(o->checkpoint, resolve_device(o->device),
                                                     o->raw ? GeneratorChoice::Raw : GeneratorChoice::Preferred);
                Discriminator d = o->projection.feature_weight > 0 ? load_discriminator(o->checkpoint, g.device)
                                                                    : Discriminator(nullptr);
                const ImageInputs in = read_image_inputs(o->images, g.model.image_size, g.model.channels);
                for (const SkippedFile& s : in.skipped) std::cerr << "skipped " << s.path << ": " << s.reason << "\n";
                if (in.images.empty()) throw Error("no image to project");
                const auto count = static_cast<std::int64_t>(in.images.size());
                const std::int64_t batches = (count + kProjectBatch - 1) / kProjectBatch;
                std::cout << "projecting " << count << " image(s) into " << o->checkpoint << ": " << o->projection.steps
                          << " steps, best of " << o->projection.restarts << " restarts\n";

                EngineControl control;
                InterruptWatch watch(control);
                std::vector<at::Tensor> latents, reconstructions;
                std::vector<double> start_mse, final_mse;
                bool stopped = false;
                for (std::int64_t b = 0; b < batches && !stopped; ++b) {
                    const std::int64_t first = b * kProjectBatch, n = std::min(kProjectBatch, count - first);
                    ProjectionOptions options = o->projection;
                    options.seed = o->projection.seed + static_cast<std::uint64_t>(b);  // each batch its own starts
                    const std::vector<Image> part(in.images.begin() + first, in.images.begin() + first + n);
                    const int every = std::max(1, options.steps / kProgressLines);
                    const Projection p = project(g.generator, d, to_batch(part), options, [&](const ProjectionStep& s) {
                        if (s.step % every == 0 || s.step == s.steps)
                            std::cout << "[" << b + 1 << "/" << batches << "] step " << s.step << "/" << s.steps
                                      << "  mean MSE " << std::fixed << std::setprecision(5) << s.mean_mse << "\n"
                                      << std::flush;
                        return !control.stop_requested();
                    });
                    stopped = p.cancelled;
                    latents.push_back(p.latents);
                    reconstructions.push_back(p.reconstructions);
                    start_mse.insert(start_mse.end(), p.start_mse.begin(), p.start_mse.end());
                    final_mse.insert(final_mse.end(), p.final_mse.begin(), p.final_mse.end());
                }
                const at::Tensor z = at::cat(latents);
                const std::vector<Image> drawn = to_images(at::cat(reconstructions));

                LatentSet set;
                set.checkpoint = o->checkpoint;
                for (std::int64_t i = 0; i < z.size(0); ++i) {
                    const at::Tensor row = z[i].contiguous();
                    set.keyframes.push_back({std::nullopt, std::vector<float>(row.data_ptr<float>(), row.data_ptr<float>() + row.numel())});
                }
                save_latent_set(o->out, set);
                std::vector<Image> tiles;
                for (std::size_t i = 0; i < drawn.size(); ++i) {
                    tiles.push_back(in.images[i]);
                    tiles.push_back(drawn[i]);
                }
                const Image sheet = make_grid(tiles, 2 * grid_columns(static_cast<int>(drawn.size())));
                const std::string sheet_file = sheet_path(o->out);
                write_png(sheet_file, sheet);

                double mean_start = 0, mean_final = 0;
                for (std::size_t i = 0; i < final_mse.size(); ++i) {
                    std::cout << o->out << "#" << i << "  " << in.names[i] << "  MSE " << std::fixed << std::setprecision(5)
                              << final_mse[i] << " (start " << start_mse[i] << ")\n";
                    mean_start += start_mse[i] / static_cast<double>(final_mse.size());
                    mean_final += final_mse[i] / static_cast<double>(final_mse.size());
                }
                std::cout << "mean MSE " << mean_final << " (start " << mean_start << ")\n";
                std::cout << "wrote " << o->out << " (" << final_mse.size() << " latents) and " << sheet_file << " ("
                          << sheet.width << "x" << sheet.height << ")\n";
                if (stopped) {
                    std::cerr << "latentlab-cli project: interrupted; the latents are those reached so far, and images "
                                 "after the interrupted batch were not projected\n";
                    return kExitFailure;
                }
                return kExitOk;
            }};
}

} // namespace latentlab::cli
