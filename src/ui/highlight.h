// SPDX-License-Identifier: MIT
// Highlight: a command with shell syntax colouring (command names, options,
// strings, variables, operators), from the same parser the risk engine uses.
#pragma once

#include <string>

#include "ui/style.h"

namespace cmdai::ui {

/// `command` as style.Visible shows it (controls and invisible characters
/// escaped, newlines too), with ANSI colours when style.color.
std::string Highlight(const std::string& command, const Style& style);

}  // namespace cmdai::ui
