// SPDX-License-Identifier: GPL-3.0-or-later
// Writes the built-in synthetic faces as a CelebA-style folder: PNGs in
// img_align_celeba/ and their attributes in list_attr_celeba.txt.
#include <filesystem>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>

#include "command.h"
#include "common/error.h"
#include "data/celeba_attributes.h"
#include "data/synthetic_faces.h"
#include "imaging/png_file.h"

namespace latentlab::cli {

Command add_synthetic_command(CLI::App& app) {
    struct Options {
        std::string out;
        std::size_t count = 64;
        int size = 64;
        std::uint64_t seed = 1;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("synthetic", "Export synthetic faces as a CelebA-style folder with attributes");
    cmd->add_option("--out", o->out, "Folder to create")->required();
    cmd->add_option("--count", o->count, "Faces")->check(CLI::Range(1, 1000000))->capture_default_str();
    cmd->add_option("--size", o->size, "Size in pixels")->check(CLI::Range(8, 512))->capture_default_str();
    cmd->add_option("--seed", o->seed, "Seed (the same as train's --seed gives the same faces)")->capture_default_str();
    return {cmd, [o] {
                namespace fs = std::filesystem;
                DecodeOptions options;
                options.size = o->size;
                const DecodedImages faces = synthetic_faces(o->seed, o->count, options);
                const fs::path images = fs::path(o->out) / "img_align_celeba";
                std::error_code ec;
                fs::create_directories(images, ec);
                if (ec) throw Error(images.string() + ": cannot create the folder (" + ec.message() + ")");
                for (std::size_t i = 0; i < faces.count(); ++i) {
                    write_png((images / faces.names[i]).string(), faces.copy_image(i));
                }
                write_celeba_attributes((fs::path(o->out) / "list_attr_celeba.txt").string(), faces.names,
                                        faces.attributes);
                std::cout << "wrote " << faces.count() << " faces and list_attr_celeba.txt to " << o->out << "\n";
                return kExitOk;
            }};
}

} // namespace latentlab::cli
