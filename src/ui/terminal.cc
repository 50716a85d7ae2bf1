// SPDX-License-Identifier: MIT
#include "ui/terminal.h"

#include <unistd.h>

namespace cmdai {

Terminal Terminal::Detect() {
  Terminal t;
  t.stdin_tty = isatty(STDIN_FILENO) == 1;
  t.stdout_tty = isatty(STDOUT_FILENO) == 1;
  t.stderr_tty = isatty(STDERR_FILENO) == 1;
  return t;
}

}  // namespace cmdai
