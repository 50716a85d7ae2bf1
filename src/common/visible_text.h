// SPDX-License-Identifier: MIT
// VisibleText: how cmdai echoes text it did not write (a command, a model's
// answer, a finding, an error naming user input) to a person, so that the text
// cannot move the cursor, erase lines, reorder characters or hide characters
// and thereby make the terminal show something other than what it holds.
//
// Thread-safety: pure functions. Cost: one pass over the input, linear.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cmdai {

struct VisibleOptions {
  /// Whether LF passes through (multi-line text such as an explanation or a
  /// multi-line command on a card); otherwise it is shown as `\n`.
  bool keep_newlines = false;
  /// Whether TAB passes through; otherwise it is shown as `\t`. A tab moves
  /// the cursor only forward, to the next tab stop, so it cannot hide text.
  bool keep_tabs = true;
  /// Wraps each escape in reverse video (ANSI SGR 7 and 27, which leave the
  /// surrounding colour alone), so a real `\e` stands out from a typed one.
  /// Only for a stream that has colour on.
  bool mark = false;
};

/// `text` with every character that could change what the terminal shows
/// replaced by a visible escape; all else, multi-byte UTF-8 included, is kept
/// byte for byte:
///  - C0 controls and DEL: `\e` (ESC), `\r`, `\n`, `\t` (see options), `\a`,
///    `\x08` and the like for the rest;
///  - C1 controls U+0080–U+009F, bidirectional embeddings, overrides and
///    isolates (U+202A–U+202E, U+2066–U+2069, U+061C, U+200E/F), zero-width
///    and other invisible formatting characters (U+00AD, U+034F, U+115F,
///    U+1160, U+17B4/5, U+180B–U+180F, U+200B–U+200F, U+2028/9,
///    U+2060–U+206F, U+3164, U+FEFF, U+FFA0, U+FFF9–U+FFFB, tags
///    U+E0000–U+E007F): `\u202e`, `\U000e0041`;
///  - bytes that are not valid UTF-8 (stray continuation bytes, overlong
///    forms, surrogates, beyond U+10FFFF, a sequence cut short): `\xff`, one
///    escape per byte.
/// A backslash is kept as it is: the output is for reading, not for parsing.
std::string VisibleText(std::string_view text, const VisibleOptions& options = {});

/// Whether VisibleText would change `text` (with default options and
/// `keep_newlines` as given): it holds a control, invisible or invalid byte.
bool HasInvisible(std::string_view text, bool keep_newlines = false);

/// Blanks as wide as VisibleText(text) without marks, one space per shown
/// character and a tab for each kept tab: the indent that puts a marker under
/// a position in the shown text (characters are counted as one column each;
/// wide East Asian characters are not measured).
std::string VisibleIndent(std::string_view text, const VisibleOptions& options = {});

/// The number of characters VisibleText(text) shows (without marks), tabs
/// counted as one: the terminal columns it takes, under the same assumption.
size_t VisibleWidth(std::string_view text, const VisibleOptions& options = {});

/// How many leading bytes of `text` end on a whole UTF-8 character: text
/// that grows a token at a time (a streamed answer) is shown or sent only up
/// to there, so a character split between two tokens waits for its rest
/// instead of turning into an escape or U+FFFD. Bytes that can never start
/// a character count as whole (they are shown as escapes anyway). Pure.
size_t WholeUtf8Prefix(std::string_view text);

}  // namespace cmdai
