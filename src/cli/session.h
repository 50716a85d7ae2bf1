// SPDX-License-Identifier: MIT
// Session: one request from words to outcome — generate, rate, present, and
// then print, ask, edit, revise, explain, copy or run. The moment after a
// command is generated is where people decide; this is that moment.
#pragma once

#include "cli/arguments.h"
#include "config/config.h"

namespace cmdai {

/// Runs a request (Action::kGenerate). Returns the exit status: 0, the
/// executed command's own status, or an error code (cli/exit_code.h).
int RunSession(const Invocation& invocation, const Config& config);

}  // namespace cmdai
