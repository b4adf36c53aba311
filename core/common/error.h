// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <stdexcept>
#include <string>

namespace latentlab {

// The one exception type that leaves core/. Its message is meant for the user:
// it names the file or value concerned and the reason, on one line.
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// Work stopped because the caller asked for it (a superseded scan, a closed
// window), not because anything was wrong.
class Cancelled : public Error {
public:
    using Error::Error;
};

} // namespace latentlab
