// SPDX-License-Identifier: MIT
// `cmdai explain -- COMMAND`: the model's explanation of a command on stdout,
// its risk rating and findings on stderr.
#pragma once

#include "cli/arguments.h"
#include "config/config.h"

namespace cmdai {

/// Explains the command in `invocation.words` (or stdin). Returns the exit
/// status: 0, 2 without a command, or the error's code (cli/exit_code.h).
int RunExplain(const Invocation& invocation, const Config& config);

}  // namespace cmdai
