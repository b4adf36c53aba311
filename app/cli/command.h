// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace CLI { class App; }

namespace latentlab::cli {

// Exit statuses of latentlab-cli.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;   // bad file, failed run, non-finite loss
inline constexpr int kExitUsage = 2;     // wrong flags or values

// A value that parsed but makes no sense: usage is printed, exit status 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Each command adds its subcommand to the app and returns what runs it.
using CommandRunner = std::function<int()>;
struct Command {
    CLI::App* app;
    CommandRunner run;
};

Command add_train_command(CLI::App& app);
Command add_sample_command(CLI::App& app);
Command add_interpolate_command(CLI::App& app);
Command add_arithmetic_command(CLI::App& app);
Command add_bench_command(CLI::App& app);
Command add_info_command(CLI::App& app);
Command add_synthetic_command(CLI::App& app);
Command add_project_command(CLI::App& app);
Command add_export_command(CLI::App& app);
Command add_import_command(CLI::App& app);
Command add_probe_command(CLI::App& app);
Command add_pick_command(CLI::App& app);
Command add_edit_command(CLI::App& app);

} // namespace latentlab::cli
