// SPDX-License-Identifier: MIT
// `cmdai serve`: keeps the model loaded and answers requests over a Unix
// socket until interrupted or idle (docs/performance.md).
#pragma once

#include "config/config.h"

namespace cmdai {

/// Runs the server in the foreground. Returns the exit status: 0 when it
/// stopped (idle or Ctrl-C), 2 when one already runs on the socket, or the
/// error's code (cli/exit_code.h).
int RunServe(const Config& config);

}  // namespace cmdai
