// SPDX-License-Identifier: MIT
// VisibleText: escapes what a terminal would act on or hide (visible_text.h).
#include "common/visible_text.h"

#include <cstdint>
#include <cstdio>

namespace cmdai {
namespace {

// Characters that draw nothing, or change how the characters around them are
// drawn or ordered: shown as escapes so that no text can pose as other text.
bool IsInvisible(uint32_t cp) {
  if (cp >= 0x80 && cp <= 0x9F) return true;  // C1 controls (CSI is U+009B)
  if (cp == 0x00AD || cp == 0x034F || cp == 0x061C || cp == 0x115F || cp == 0x1160 || cp == 0x17B4 || cp == 0x17B5 ||
      cp == 0x3164 || cp == 0xFEFF || cp == 0xFFA0)
    return true;
  if (cp >= 0x180B && cp <= 0x180F) return true;    // Mongolian selectors and vowel separator
  if (cp >= 0x200B && cp <= 0x200F) return true;    // zero-width space/joiners, LRM, RLM
  if (cp >= 0x2028 && cp <= 0x202E) return true;    // line/paragraph separators, embeddings, overrides
  if (cp >= 0x2060 && cp <= 0x206F) return true;    // word joiner, invisible operators, isolates
  if (cp >= 0xFFF9 && cp <= 0xFFFB) return true;    // interlinear annotation
  if (cp >= 0xE0000 && cp <= 0xE007F) return true;  // tags: invisible ASCII look-alikes
  return false;
}

// Decodes one UTF-8 character at s[i]. Returns its length (1 to 4) and sets
// *cp, or returns 0 when the bytes there are not valid UTF-8 (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF).
size_t Decode(std::string_view s, size_t i, uint32_t* cp) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const auto cont = [&](size_t k) { return i + k < s.size() && (b(k) & 0xC0) == 0x80; };
  const unsigned char c = b(0);
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  if (c >= 0xC2 && c <= 0xDF && cont(1)) {
    *cp = ((c & 0x1Fu) << 6) | (b(1) & 0x3Fu);
    return 2;
  }
  if (c >= 0xE0 && c <= 0xEF && cont(1) && cont(2)) {
    if ((c == 0xE0 && b(1) < 0xA0) || (c == 0xED && b(1) > 0x9F)) return 0;  // overlong, surrogate
    *cp = ((c & 0x0Fu) << 12) | ((b(1) & 0x3Fu) << 6) | (b(2) & 0x3Fu);
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4 && cont(1) && cont(2) && cont(3)) {
    if ((c == 0xF0 && b(1) < 0x90) || (c == 0xF4 && b(1) > 0x8F)) return 0;  // overlong, > U+10FFFF
    *cp = ((c & 0x07u) << 18) | ((b(1) & 0x3Fu) << 12) | ((b(2) & 0x3Fu) << 6) | (b(3) & 0x3Fu);
    return 4;
  }
  return 0;
}

std::string Hex(const char* format, uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), format, static_cast<unsigned>(v));
  return buf;
}

// The escape for the control or invisible character `cp`.
std::string EscapeFor(uint32_t cp) {
  switch (cp) {
    case 0x1B: return "\\e";
    case '\r': return "\\r";
    case '\n': return "\\n";
    case '\t': return "\\t";
    case '\a': return "\\a";
    default: break;
  }
  if (cp < 0x80) return Hex("\\x%02x", cp);
  if (cp <= 0xFFFF) return Hex("\\u%04x", cp);
  return Hex("\\U%08x", cp);
}

// Walks `text`, calling keep(begin, length) for runs shown as they are and
// escape(text) for each escape, in order.
template <typename Keep, typename Escape>
void Walk(std::string_view text, const VisibleOptions& o, Keep keep, Escape escape) {
  size_t i = 0;
  while (i < text.size()) {
    uint32_t cp = 0;
    const size_t n = Decode(text, i, &cp);
    if (n == 0) {
      escape(Hex("\\x%02x", static_cast<unsigned char>(text[i])));
      ++i;
      continue;
    }
    const bool control = cp < 0x20 || cp == 0x7F;
    const bool kept_control = (cp == '\n' && o.keep_newlines) || (cp == '\t' && o.keep_tabs);
    if ((control && !kept_control) || IsInvisible(cp))
      escape(EscapeFor(cp));
    else
      keep(i, n);
    i += n;
  }
}

}  // namespace

std::string VisibleText(std::string_view text, const VisibleOptions& options) {
  std::string out;
  out.reserve(text.size());
  Walk(
      text, options, [&](size_t at, size_t n) { out.append(text.substr(at, n)); },
      [&](const std::string& e) {
        if (options.mark) out += "\033[7m";
        out += e;
        if (options.mark) out += "\033[27m";
      });
  return out;
}

bool HasInvisible(std::string_view text, bool keep_newlines) {
  bool found = false;
  VisibleOptions o;
  o.keep_newlines = keep_newlines;
  Walk(
      text, o, [](size_t, size_t) {}, [&](const std::string&) { found = true; });
  return found;
}

std::string VisibleIndent(std::string_view text, const VisibleOptions& options) {
  std::string out;
  Walk(
      text, options, [&](size_t at, size_t) { out += text[at] == '\t' ? '\t' : ' '; },
      [&](const std::string& e) { out.append(e.size(), ' '); });
  return out;
}

size_t VisibleWidth(std::string_view text, const VisibleOptions& options) {
  size_t width = 0;
  Walk(
      text, options, [&](size_t, size_t) { ++width; }, [&](const std::string& e) { width += e.size(); });
  return width;
}

size_t WholeUtf8Prefix(std::string_view s) {
  // Look back at most three bytes for the lead byte of a last, unfinished
  // character.
  const size_t n = s.size();
  for (size_t back = 1; back <= 4 && back <= n; ++back) {
    const auto c = static_cast<unsigned char>(s[n - back]);
    if ((c & 0xC0) == 0x80) continue;  // a continuation byte
    const size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
    return back < len ? n - back : n;
  }
  return n;
}

}  // namespace cmdai
