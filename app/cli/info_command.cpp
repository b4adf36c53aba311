// SPDX-License-Identifier: GPL-3.0-or-later
#include <filesystem>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "checkpoint/checkpoint_file.h"
#include "command.h"

namespace latentlab::cli {

Command add_info_command(CLI::App& app) {
    struct Options {
        std::string file;
        bool json = false;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("info", "Print what a checkpoint holds");
    cmd->add_option("FILE", o->file, "A .llck checkpoint file")->required();
    cmd->add_flag("--json", o->json, "Print the metadata as JSON");
    return {cmd, [o] {
                CheckpointReader reader(o->file);
                const auto& m = reader.meta();
                if (o->json) {
                    std::cout << m.dump(2) << "\n";
                    return kExitOk;
                }
                const auto& c = m.at("config");
                std::cout << "checkpoint   " << o->file << " (" << std::filesystem::file_size(o->file) << " bytes, format "
                          << m.value("format", 0) << ", checksum ok)\n"
                          << "position     epoch " << m.value("epoch", 0) << ", batch " << m.value("batch", 0)
                          << ", iteration " << m.value("iteration", 0) << "\n"
                          << "health       " << (m.value("healthy", true) ? "healthy" : "taken after a non-finite loss")
                          << "\n"
                          << "model        DCGAN " << c.value("image_size", 0) << "x" << c.value("image_size", 0) << ", "
                          << c.value("resolved_channels", 0) << " channel(s), nz " << c.value("nz", 0) << ", ngf "
                          << c.value("ngf", 0) << ", ndf " << c.value("ndf", 0) << "\n"
                          << "optimizer    Adam lr " << m.value("lr", 0.0) << ", beta1 " << m.value("beta1", 0.0)
                          << ", beta2 " << m.value("beta2", 0.0) << "\n"
                          << "data         " << c.value("data", std::string()) << " (" << m.value("images", 0)
                          << " images, fingerprint " << m.value("data_fingerprint", std::string()) << ")\n"
                          << "training     " << c.value("epochs", 0) << " epochs, batch " << c.value("batch_size", 0)
                          << ", seed " << c.value("seed", 0ULL) << "\n"
                          << "holds        generator, discriminator, both Adam states, RNG states, fixed noise ("
                          << reader.tensor("fixed_noise").size(0) << " latents)\n"
                          << "libtorch     " << m.value("libtorch", std::string()) << "\n";
                if (m.contains("imported_from") && m.at("imported_from").is_object())
                    std::cout << "origin       imported from " << m.at("imported_from").value("generator", std::string())
                              << " (PyTorch state_dict); it can be explored, not resumed\n";
                return kExitOk;
            }};
}

} // namespace latentlab::cli
