// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "common/setting_ranges.h"

namespace latentlab::cli {

// The check for a numeric setting: core's range, and core's message when a
// value is outside it.
CLI::Validator setting_check(const SettingRange& range);
// The setting's help sentence followed by its range, for --help.
std::string setting_help(const SettingRange& range);

// Adds the option of a numeric setting from core's table (common/setting_ranges.h):
// its flag, its help with the range and its check. (A recipe part's default
// depends on the recipe, so showing the default is the caller's choice.)
template <typename T>
CLI::Option* add_setting_option(CLI::App* command, std::string_view key, T& value) {
    const SettingRange& range = setting_range(key);
    return command->add_option(std::string(range.flag), value, setting_help(range))
        ->check(setting_check(range));
}

} // namespace latentlab::cli
