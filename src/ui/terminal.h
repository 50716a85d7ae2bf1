// SPDX-License-Identifier: MIT
// Terminal: what each standard stream is connected to, decided once. The only
// place in cmdai that calls isatty (STYLE.md §9).
#pragma once

namespace cmdai {

struct Terminal {
  bool stdin_tty = false;
  bool stdout_tty = false;
  bool stderr_tty = false;

  /// Reads the three streams' state. Cost: three isatty calls.
  static Terminal Detect();
};

}  // namespace cmdai
