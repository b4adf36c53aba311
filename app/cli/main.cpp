// SPDX-License-Identifier: GPL-3.0-or-later
// latentlab-cli: LatentLab without a window. Trains, samples, interpolates,
// does latent arithmetic, projects images, exports generators and benchmarks on servers and GPU boxes.
#include <iostream>

#include <CLI/CLI.hpp>

#include "command.h"
#include "common/error.h"
#include "common/process_setup.h"
#include "common/version.h"

int main(int argc, char** argv) {
    latentlab::setup_process();
    using namespace latentlab::cli;
    CLI::App app{"latentlab-cli: train DCGANs and explore their latent space, headless"};
    app.require_subcommand(1);
    app.set_help_all_flag("--help-all", "Show help for every command");
    app.set_version_flag("--version", "latentlab-cli " + latentlab::version_details(), "Print the version, the git commit and LibTorch's version");
    const std::vector<Command> commands{add_train_command(app),       add_sample_command(app),
                                        add_interpolate_command(app), add_arithmetic_command(app),
                                        add_bench_command(app),       add_info_command(app),
                                        add_synthetic_command(app),   add_project_command(app),
                                        add_export_command(app),      add_import_command(app),
                                        add_probe_command(app),       add_pick_command(app),
                                        add_edit_command(app)};
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "latentlab-cli: " << e.what() << "\n\n";
        const CLI::App* chosen = app.get_subcommands().empty() ? &app : app.get_subcommands().front();
        std::cerr << chosen->help();
        return kExitUsage;
    }
    for (const Command& c : commands) {
        if (!c.app->parsed()) continue;
        try {
            return c.run();
        } catch (const UsageError& e) {
            std::cerr << "latentlab-cli " << c.app->get_name() << ": " << e.what() << "\n\n" << c.app->help();
            return kExitUsage;
        } catch (const latentlab::Error& e) {
            std::cerr << "latentlab-cli " << c.app->get_name() << ": " << e.what() << "\n";
            return kExitFailure;
        } catch (const std::exception& e) {
            std::cerr << "latentlab-cli " << c.app->get_name() << ": unexpected error: " << e.what() << "\n";
            return kExitFailure;
        }
    }
    return kExitUsage;
}
