// SPDX-License-Identifier: MIT
// LineEditor: a one-line editor for the Edit and Revise choices — cursor
// keys, Home/End, Ctrl-A/E/W/U/K, Backspace/Delete; no history, by design
// (the line is a command about to be rated, not a shell session).
#pragma once

#include <optional>
#include <string>

#include "ui/keys.h"

namespace cmdai::ui {

struct EditState {
  std::string text;
  size_t cursor = 0;  // byte offset, on a UTF-8 character boundary
};

enum class EditResult { kContinue, kAccept, kCancel };

/// Applies one key to the state. Pure; the terminal loop and tests share it.
EditResult ApplyKey(EditState& state, const Key& key);

/// One redraw of the edited line: `text` to write (return, clear the row,
/// the prompt and the line) and `back`, the columns from its end to the cursor.
struct EditFrame {
  std::string text;
  size_t back = 0;
};

/// The frame for `state` on a terminal `columns` wide (0: unknown, never
/// scrolled). A line wider than the room after the prompt scrolls
/// horizontally on its one row, '<' and '>' marking text beyond either edge,
/// so a redraw never leaves rows behind. Pure; the loop and tests share it.
EditFrame DrawEditLine(const std::string& prompt, const EditState& state, size_t columns);

/// Edits `initial` on the terminal: reads keys from `in_fd` (put into raw
/// mode here), draws `prompt` and the line on `out_fd`. Returns the accepted
/// text, or nullopt when the person cancels (Esc, Ctrl-C) or input ends.
std::optional<std::string> EditLine(const std::string& prompt, const std::string& initial, int in_fd, int out_fd);

}  // namespace cmdai::ui
