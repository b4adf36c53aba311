// SPDX-License-Identifier: GPL-3.0-or-later
// The message of a refused input, for tests that check which reason was given.
#pragma once

#include <QString>

#include "common/error.h"

namespace latentlab {

// The message of the latentlab::Error that fn throws, or "" when it throws none.
template <class Fn>
QString error_of(Fn fn) {
    try {
        fn();
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

} // namespace latentlab
