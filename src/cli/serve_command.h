// SPDX-License-Identifier: MIT
// `cmdai serve`: keeps the model loaded and answers requests over a Unix
// socket until interrupted or idle (docs/performance.md); `--wake` starts
// one in the background and returns at once (the Ctrl-G widget's wake-up).
#pragma once

#include "config/config.h"

namespace cmdai {

/// Runs the server in the foreground, or with `wake` starts it detached when
/// WakeStartsServer (cli/backend_factory.h) allows and returns. Returns the exit status: 0 when it
/// stopped (idle or Ctrl-C) or woke, 2 when one already runs (or starts)
/// on the socket, or the error's code (cli/exit_code.h).
int RunServe(const Config& config, bool wake = false);

}  // namespace cmdai
