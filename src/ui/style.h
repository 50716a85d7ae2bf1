// SPDX-License-Identifier: MIT
// Style: ANSI colours, applied only when colour is on. One place decides the
// palette so every message looks alike.
#pragma once

#include <string>
#include <string_view>

#include "common/visible_text.h"
#include "config/config.h"
#include "safety/risk.h"

namespace cmdai::ui {

/// Whether to colour a stream: `setting` is the config's color (auto, always,
/// never; NO_COLOR and TERM=dumb already turned auto into never).
inline bool ColorOn(ColorMode setting, bool tty) {
  return setting == ColorMode::kAlways || (setting == ColorMode::kAuto && tty);
}

struct Style {
  bool color = false;
  bool utf8 = true;  // false: only ASCII of cmdai's own (Terminal::utf8)

  /// `fancy` in a UTF-8 locale, else its ASCII stand-in.
  const char* Text(const char* fancy, const char* ascii) const { return utf8 ? fancy : ascii; }

  std::string Paint(const char* code, const std::string& s) const {
    return color ? std::string("\033[") + code + "m" + s + "\033[0m" : s;
  }
  std::string Bold(const std::string& s) const { return Paint("1", s); }
  std::string Dim(const std::string& s) const { return Paint("2", s); }
  std::string Risk(safety::Risk r, const std::string& s) const {
    switch (r) {
      case safety::Risk::kSafe: return Paint("32", s);
      case safety::Risk::kModerate: return Paint("33", s);
      case safety::Risk::kHigh: return Paint("31", s);
      case safety::Risk::kCritical: return Paint("1;31", s);
    }
    return s;
  }
  /// Text cmdai did not write (a command, a model's answer, a finding, user
  /// input in a message): every control, invisible or invalid character shown
  /// as an escape (common/visible_text.h), marked when colour is on.
  std::string Visible(std::string_view s, bool keep_newlines = false) const {
    VisibleOptions o;
    o.keep_newlines = keep_newlines;
    o.mark = color;
    return VisibleText(s, o);
  }
};

}  // namespace cmdai::ui
