// SPDX-License-Identifier: GPL-3.0-or-later
#include "setting_option.h"

#include <cstdlib>

namespace latentlab::cli {

CLI::Validator setting_check(const SettingRange& range) {
    return CLI::Validator(
        [range](std::string& text) -> std::string {
            char* end = nullptr;
            const double value = std::strtod(text.c_str(), &end);
            if (text.empty() || end != text.c_str() + text.size())
                return std::string(range.name) + " '" + text + "' is not a number";
            return range.problem(value);
        },
        "", std::string(range.key));
}

std::string setting_help(const SettingRange& range) {
    return std::string(range.help) + " (" + range.describe() + ")";
}

} // namespace latentlab::cli
