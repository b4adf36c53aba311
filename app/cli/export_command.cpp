// SPDX-License-Identifier: GPL-3.0-or-later
// export: a checkpoint's generator as a bare safetensors file for PyTorch.
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>

#include "checkpoint/generator_export.h"
#include "checkpoint/generator_snapshot.h"
#include "command.h"
#include "common/atomic_file.h"

namespace latentlab::cli {

Command add_export_command(CLI::App& app) {
    struct Options {
        std::string checkpoint, out;
        bool raw = false;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand(
        "export", "Write a checkpoint's generator as a safetensors file with PyTorch's DCGAN names (main.0.weight, ...)");
    cmd->add_option("--checkpoint", o->checkpoint, "A .llck checkpoint file")->required();
    cmd->add_option("--out", o->out, "The .safetensors file to write")->required();
    cmd->add_flag("--raw", o->raw, "Export the generator as trained, not the moving average of its weights (EMA)");
    return {cmd, [o] {
                const GeneratorSnapshot s =
                    load_generator(o->checkpoint, c10::kCPU, o->raw ? GeneratorChoice::Raw : GeneratorChoice::Preferred);
                const std::string bytes = generator_safetensors(s);
                write_file_atomically(o->out, bytes);
                std::cout << "wrote " << o->out << " (" << bytes.size() << " bytes; DCGAN generator, " << s.model.image_size
                          << " px, nz " << s.model.nz << ", ngf " << s.model.ngf << ", " << s.model.channels
                          << " channel(s)" << (s.averaged ? ", EMA weights" : "") << ")\n";
                return kExitOk;
            }};
}

} // namespace latentlab::cli
