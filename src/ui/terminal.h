// SPDX-License-Identifier: MIT
// Terminal: what each standard stream is connected to, decided once. The only
// place in cmdai that calls isatty (STYLE.md §9).
#pragma once

namespace cmdai {

struct Terminal {
  bool stdin_tty = false;
  bool stdout_tty = false;
  bool stderr_tty = false;
  /// The locale's character set is UTF-8 (Utf8Locale); else cmdai writes
  /// only ASCII of its own (spinner frames, separators, ellipses).
  bool utf8 = true;

  /// Reads the three streams' state and the locale. Cost: three isatty calls
  /// and, once per process, a setlocale round trip.
  static Terminal Detect();

  /// Whether the person's locale (LC_ALL, else LC_CTYPE, else LANG, as the
  /// C library reads them) uses UTF-8. Decided once, then cached. The
  /// program's own locale is left as it was (the "C" locale).
  static bool Utf8Locale();

  /// The width in columns of the terminal on `fd`, or 0 when it is not a
  /// terminal or does not say. Cheap (one ioctl): read at each redraw, so a
  /// resized window is followed.
  static int Columns(int fd);
};

}  // namespace cmdai
