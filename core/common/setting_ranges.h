// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace latentlab {

inline constexpr int kMaxPairs = 8;  // cross-validated G/D pairs in one run

// The range and meaning of one numeric training setting. The table of them
// (setting_ranges()) is the only place a limit is written down: TrainConfig,
// ModelConfig and Recipe validate against it, the CLI builds its checks and
// --help text from it, and the window its validators and tooltips.
struct SettingRange {
    std::string_view key;   // the config.json key, the window's field name
    std::string_view name;  // in messages: "batch size"
    std::string_view flag;  // the CLI option ("--batch-size"); empty where the CLI has none
    std::string_view help;  // one sentence for --help and the tooltip, without the range
    double low = 0;
    double high = 0;
    bool low_open = false;   // low itself is refused (the learning rate: above 0)
    bool high_open = false;  // high itself is refused (beta1: below 1)
    bool integer = false;    // whole numbers only

    bool contains(double value) const;
    // The interval in words a user reads: "1 .. 65536", "above 0, at most 1".
    std::string describe() const;
    // Empty when `value` is allowed, else "batch size 0 is out of range (1 .. 65536)".
    std::string problem(double value) const;
};

const std::vector<SettingRange>& setting_ranges();
// The entry for `key`; an unknown key is a programming error (std::out_of_range).
const SettingRange& setting_range(std::string_view key);
// Throws latentlab::Error with problem() when `value` is outside the range of `key`.
void require_in_range(std::string_view key, double value);
// A number as a user would type it: 0.0002, 65536, 1e+09.
std::string format_setting_value(double value);

} // namespace latentlab
