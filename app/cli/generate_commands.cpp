// SPDX-License-Identifier: GPL-3.0-or-later
// sample, interpolate, arithmetic, pick and edit: pictures (and picks) from a checkpoint's generator.
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>

#include "command.h"
#include "common/error.h"
#include "imaging/npy_file.h"
#include "imaging/png_file.h"
#include "latent/attribute_direction.h"
#include "latent/attribute_pick.h"
#include "latent/latent_views.h"
#include "train/device.h"

namespace latentlab::cli {
namespace {

struct GeneratorOptions {
    std::string checkpoint, out, device = "auto", noise = "normal";
    bool batch_stats = false, raw = false;
    double truncation = 1.0;
};

void add_generator_options(CLI::App* cmd, GeneratorOptions& o) {
    cmd->add_option("--checkpoint", o.checkpoint, "A .llck checkpoint file")->required();
    cmd->add_option("--out", o.out, "PNG file to write")->required();
    cmd->add_option("--device", o.device, "auto, cpu, cuda or cuda:N")->capture_default_str();
    cmd->add_flag("--batch-stats", o.batch_stats, "Use batch statistics in batch norm instead of the running averages");
    cmd->add_flag("--raw", o.raw, "Draw with the generator as trained, not the moving average of its weights (EMA)");
    cmd->add_option("--truncation", o.truncation, "Scale latents drawn from seeds (below 1: nearer the average face)")
        ->check(CLI::Range(0.0, 4.0))->capture_default_str();
}

ViewOptions view_options(const GeneratorOptions& o) {
    ViewOptions v;
    try {
        v.noise = parse_noise_kind(o.noise);
    } catch (const Error& e) {
        throw UsageError(e.what());
    }
    v.statistics = o.batch_stats ? NormStatistics::Batch : NormStatistics::Running;
    v.truncation = o.truncation;
    return v;
}

std::vector<LatentRef> parse_refs(const std::string& flag, const std::string& text) {
    try {
        return parse_latent_refs(text);
    } catch (const Error& e) {
        throw UsageError(flag + ": " + e.what());
    }
}

GeneratorSnapshot open_checkpoint(const GeneratorOptions& o) {
    return load_generator(o.checkpoint, resolve_device(o.device), o.raw ? GeneratorChoice::Raw : GeneratorChoice::Preferred);
}

void write_result(const std::string& path, const Image& image) {
    write_png(path, image);
    std::cout << "wrote " << path << " (" << image.width << "x" << image.height << ")\n";
}

} // namespace

Command add_sample_command(CLI::App& app) {
    struct Options : GeneratorOptions {
        int count = 64;
        std::uint64_t seed = 0;
        std::string latents;
        bool float_values = false;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("sample", "Draw a grid of generated images; image i is SEED:i (0 = top-left). "
                                                 "An --out ending in .npy gets the images as a NumPy array [N, C, H, W] "
                                                 "(uint8, or float32 in [-1, 1] with --float)");
    add_generator_options(cmd, *o);
    cmd->add_option("--count", o->count, "Images in the grid")->check(CLI::Range(1, 4096))->capture_default_str();
    cmd->add_option("--seed", o->seed, "Seed of the latent batch")->capture_default_str();
    cmd->add_option("--noise", o->noise, "normal or uniform")->check(CLI::IsMember({"normal", "uniform"}))->capture_default_str();
    cmd->add_option("--latents", o->latents,
                    "Draw these latents instead of SEED:0..COUNT-1: comma list of SEED:INDEX or FILE.json#INDEX");
    cmd->add_flag("--float", o->float_values,
                  "With an .npy --out: the generator's float32 output in [-1, 1] instead of 8-bit pixels");
    return {cmd, [o] {
                const ViewOptions v = view_options(*o);
                const bool npy = o->out.size() > 4 && o->out.compare(o->out.size() - 4, 4, ".npy") == 0;
                if (o->float_values && !npy) throw UsageError("--float needs an --out ending in .npy");
                const std::vector<LatentRef> refs = o->latents.empty() ? std::vector<LatentRef>{} : parse_refs("--latents", o->latents);
                GeneratorSnapshot g = open_checkpoint(*o);
                const at::Tensor latents = refs.empty() ? view_batch(g, o->seed, o->count, v) : view_latents(g, refs, v);
                const at::Tensor values = draw_values(g, latents, v);
                if (npy && o->float_values) {
                    const at::Tensor c = values.contiguous();
                    write_npy_float32(o->out, {c.sizes().begin(), c.sizes().end()},
                                      std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel()));
                    std::cout << "wrote " << o->out << " (" << c.size(0) << " images, float32)\n";
                } else if (npy) {
                    write_npy(o->out, to_images(values));
                    std::cout << "wrote " << o->out << " (" << values.size(0) << " images)\n";
                } else {
                    write_result(o->out, make_grid(to_images(values), grid_columns(static_cast<int>(values.size(0)))));
                }
                return kExitOk;
            }};
}

Command add_interpolate_command(CLI::App& app) {
    struct Options : GeneratorOptions {
        std::string from, to, mode = "slerp";
        int steps = 8;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("interpolate", "Write a strip of frames between two latents, side by side");
    add_generator_options(cmd, *o);
    cmd->add_option("--from", o->from, "Start latent, SEED:INDEX or FILE.json#INDEX")->required();
    cmd->add_option("--to", o->to, "End latent, SEED:INDEX or FILE.json#INDEX")->required();
    cmd->add_option("--steps", o->steps, "Frames, both ends included")->check(CLI::Range(2, 1024))->capture_default_str();
    cmd->add_option("--mode", o->mode, "slerp or lerp")->check(CLI::IsMember({"slerp", "lerp"}))->capture_default_str();
    cmd->add_option("--noise", o->noise, "normal or uniform")->check(CLI::IsMember({"normal", "uniform"}))->capture_default_str();
    return {cmd, [o] {
                const ViewOptions v = view_options(*o);
                const LatentRef from = parse_refs("--from", o->from).at(0), to = parse_refs("--to", o->to).at(0);
                const InterpolationMode mode = parse_interpolation_mode(o->mode);
                GeneratorSnapshot g = open_checkpoint(*o);
                write_result(o->out, interpolation_strip(g, from, to, o->steps, mode, v));
                return kExitOk;
            }};
}

Command add_arithmetic_command(CLI::App& app) {
    struct Options : GeneratorOptions {
        std::string a, b, c, result;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("arithmetic", "mean(A) - mean(B) + mean(C), laid out as the lecture's demo");
    add_generator_options(cmd, *o);
    cmd->add_option("--a", o->a, "Group A: comma list of SEED:INDEX or FILE.json#INDEX")->required();
    cmd->add_option("--b", o->b, "Group B: comma list of SEED:INDEX or FILE.json#INDEX")->required();
    cmd->add_option("--c", o->c, "Group C: comma list of SEED:INDEX or FILE.json#INDEX")->required();
    cmd->add_option("--noise", o->noise, "normal or uniform")->check(CLI::IsMember({"normal", "uniform"}))->capture_default_str();
    cmd->add_option("--result", o->result, "Also write the result's image alone as a uint8 .npy [1, C, S, S]");
    return {cmd, [o] {
                const ViewOptions v = view_options(*o);
                const auto a = parse_refs("--a", o->a), b = parse_refs("--b", o->b), c = parse_refs("--c", o->c);
                GeneratorSnapshot g = open_checkpoint(*o);
                const ArithmeticParts parts = arithmetic_parts(g, view_latents(g, a, v), view_latents(g, b, v),
                                                               view_latents(g, c, v), v);
                write_result(o->out, parts.sheet);
                if (!o->result.empty()) write_npy(o->result, {parts.tiles.result});
                return kExitOk;
            }};
}

Command add_pick_command(CLI::App& app) {
    struct Options : GeneratorOptions {
        std::string probe, want;
        int count = 3, batches = 4;
        std::uint64_t seed = 1;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand(
        "pick", "Find generated images with (or without) attributes, judged by an attribute probe; prints their "
                "SEED:INDEX references for arithmetic, interpolate and the explorer");
    cmd->add_option("--checkpoint", o->checkpoint, "A .llck checkpoint file")->required();
    cmd->add_option("--probe", o->probe, "An attribute probe (latentlab-cli probe) for the generator's image size")
        ->required();
    cmd->add_option("--want", o->want, "Comma list of attributes, '-' for absent: Smiling,-Male")->required();
    cmd->add_option("--count", o->count, "Images to pick")->check(CLI::Range(1, 4096))->capture_default_str();
    cmd->add_option("--batches", o->batches, "Batches of 64 to choose from (seeds SEED, SEED+1, ...)")
        ->check(CLI::Range(1, 1024))->capture_default_str();
    cmd->add_option("--seed", o->seed, "Seed of the first batch")->capture_default_str();
    cmd->add_option("--device", o->device, "auto, cpu, cuda or cuda:N")->capture_default_str();
    cmd->add_flag("--raw", o->raw, "Draw with the generator as trained, not the moving average of its weights (EMA)");
    return {cmd, [o] {
                const AttributeProbe probe = load_attribute_probe(o->probe);
                const auto wishes = parse_attribute_wishes(o->want, probe.names);
                GeneratorSnapshot g = open_checkpoint(*o);
                const auto picks = pick_by_attributes(g, probe, wishes, o->count, o->seed, o->batches);
                std::string refs;
                for (const AttributePick& p : picks) {
                    refs += (refs.empty() ? "" : ",") + p.ref.to_string();
                    std::cerr << p.ref.to_string() << "  score " << p.score << "\n";
                }
                std::cout << refs << "\n";
                return kExitOk;
            }};
}

Command add_edit_command(CLI::App& app) {
    struct Options : GeneratorOptions {
        std::string probe, from, attribute, amounts = "-2,-1,0,1,2";
        int samples = 1024;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand(
        "edit", "Move a face along an attribute's direction (the mean latent of generated faces the probe says "
                "have it minus that of those without) and write the frames side by side");
    add_generator_options(cmd, *o);
    cmd->add_option("--probe", o->probe, "An attribute probe (latentlab-cli probe) for the generator's image size")
        ->required();
    cmd->add_option("--from", o->from, "The face: SEED:INDEX or FILE.json#INDEX")->required();
    cmd->add_option("--attribute", o->attribute, "An attribute the probe knows, e.g. Smiling")->required();
    cmd->add_option("--amounts", o->amounts, "Comma list of steps along the direction (0: the face as it is)")
        ->capture_default_str();
    cmd->add_option("--samples", o->samples, "Generated faces the direction is measured on")
        ->check(CLI::Range(2, 1000000))->capture_default_str();
    return {cmd, [o] {
                const ViewOptions v = view_options(*o);
                const auto from = parse_refs("--from", o->from);
                if (from.size() != 1) throw UsageError("--from takes one reference");
                std::vector<double> amounts;
                std::size_t start = 0;
                while (start <= o->amounts.size()) {
                    const std::size_t comma = std::min(o->amounts.find(',', start), o->amounts.size());
                    const std::string item = o->amounts.substr(start, comma - start);
                    start = comma + 1;
                    char* end = nullptr;
                    const double a = std::strtod(item.c_str(), &end);
                    if (item.empty() || *end != '\0' || !std::isfinite(a) || std::abs(a) > 100.0)
                        throw UsageError("--amounts: '" + item + "' is not a number from -100 to 100");
                    amounts.push_back(a);
                }
                const AttributeProbe probe = load_attribute_probe(o->probe);
                GeneratorSnapshot g = open_checkpoint(*o);
                const AttributeDirection d = attribute_direction(g, probe, o->attribute, o->samples, 1000000, v);
                std::cerr << d.name << ": " << d.with << " of " << (d.with + d.without)
                          << " generated faces have it\n";
                write_result(o->out, attribute_strip(g, d, from.front(), amounts, v));
                return kExitOk;
            }};
}

} // namespace latentlab::cli
