// SPDX-License-Identifier: MIT
// Clipboard: copies text with the OSC 52 escape (works over SSH in most
// terminals) and, when one is installed, wl-copy, xclip, xsel or pbcopy.
#pragma once

#include <string>

namespace cmdai::ui {

/// Copies `text`. Writes the OSC 52 sequence to `tty_fd` (when >= 0) and
/// pipes the text to the first clipboard tool found. Returns the tool used,
/// or "terminal (OSC 52)".
std::string CopyToClipboard(const std::string& text, int tty_fd);

/// The OSC 52 escape sequence that sets the clipboard to `text`.
std::string Osc52(const std::string& text);

}  // namespace cmdai::ui
