// SPDX-License-Identifier: MIT
#include "ui/terminal.h"

#include <langinfo.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <clocale>
#include <string>

namespace cmdai {

Terminal Terminal::Detect() {
  Terminal t;
  t.stdin_tty = isatty(STDIN_FILENO) == 1;
  t.stdout_tty = isatty(STDOUT_FILENO) == 1;
  t.stderr_tty = isatty(STDERR_FILENO) == 1;
  t.utf8 = Utf8Locale();
  return t;
}

int Terminal::Columns(int fd) {
  winsize w = {};
  if (ioctl(fd, TIOCGWINSZ, &w) != 0) return 0;
  return w.ws_col;
}

bool Terminal::Utf8Locale() {
  static const bool utf8 = [] {
    const char* current = std::setlocale(LC_CTYPE, nullptr);
    const std::string saved = current ? current : "C";
    bool yes = false;
    if (std::setlocale(LC_CTYPE, "")) {  // the environment's locale, briefly
      const char* set = nl_langinfo(CODESET);
      yes = set && (strcasecmp(set, "UTF-8") == 0 || strcasecmp(set, "UTF8") == 0);
    }
    std::setlocale(LC_CTYPE, saved.c_str());
    return yes;
  }();
  return utf8;
}

}  // namespace cmdai
