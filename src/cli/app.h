// SPDX-License-Identifier: MIT
// App: cmdai's edge. Parses arguments, runs the chosen action, and is the one
// place that prints errors and picks the exit status.
#pragma once

namespace cmdai {

/// Runs cmdai and returns the process exit status (see cli/exit_code.h).
int RunApp(int argc, const char* const* argv);

}  // namespace cmdai
