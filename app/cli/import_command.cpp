// SPDX-License-Identifier: GPL-3.0-or-later
// import: a PyTorch DCGAN state_dict (netG_epoch_N.pth) as a LatentLab checkpoint.
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>

#include "checkpoint/pth_import.h"
#include "command.h"
#include "common/atomic_file.h"

namespace latentlab::cli {

Command add_import_command(CLI::App& app) {
    struct Options {
        std::string netg, netd, out;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand(
        "import", "Turn a PyTorch DCGAN generator state_dict (and its discriminator's) into a .llck checkpoint to explore");
    cmd->add_option("--pth", o->netg, "The generator's state_dict, as torch.save writes it (e.g. netG_epoch_24.pth)")
        ->required();
    cmd->add_option("--netd", o->netd, "The discriminator's state_dict (lets `project` and the explorer fit photos)");
    cmd->add_option("--out", o->out, "The .llck checkpoint to write")->required();
    return {cmd, [o] {
                const std::string bytes = imported_checkpoint_bytes(o->netg, o->netd);
                write_file_atomically(o->out, bytes);
                std::cout << "wrote " << o->out << " (" << bytes.size() << " bytes; the generator of " << o->netg
                          << (o->netd.empty() ? "" : " and the discriminator of " + o->netd) << ")\n";
                return kExitOk;
            }};
}

} // namespace latentlab::cli
