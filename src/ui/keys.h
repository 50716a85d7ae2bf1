// SPDX-License-Identifier: MIT
// Keys: reading single keypresses from a terminal in raw mode, with escape
// sequences (arrows, Home, End, Delete) decoded.
#pragma once

#include <optional>
#include <string>

namespace cmdai::ui {

enum class KeyCode {
  kChar,  // printable text in Key::text (one UTF-8 character)
  kEnter,
  kBackspace,
  kDelete,
  kLeft,
  kRight,
  kUp,
  kDown,
  kHome,
  kEnd,
  kCtrlA,
  kCtrlE,
  kCtrlW,
  kCtrlU,
  kCtrlK,
  kCtrlC,
  kCtrlD,
  kCtrlL,
  kEscape,
  kTab,
  kOther,
};

struct Key {
  KeyCode code = KeyCode::kOther;
  std::string text;  // for kChar
};

/// Decodes one key from the front of `bytes`, returning it and how many
/// bytes it used (0 when `bytes` holds only part of a key; a lone ESC counts
/// as partial, since arrows start with it). Pure; for tests and ReadKey.
std::pair<Key, size_t> DecodeKey(const std::string& bytes);

/// Puts a terminal into raw mode (no echo, no line buffering, no signals from
/// keys) for this object's lifetime and restores it afterwards.
class RawMode {
 public:
  explicit RawMode(int fd);
  ~RawMode();
  RawMode(const RawMode&) = delete;
  RawMode& operator=(const RawMode&) = delete;
  bool ok() const { return ok_; }

 private:
  int fd_;
  bool ok_ = false;
  unsigned char saved_[128];  // struct termios, kept opaque here
};

/// Drops what was typed on terminal `fd` and not yet read. Called before a
/// card or a question is drawn: a key pressed before the person could see
/// what it answers is no answer (typing ahead "y" or "yes" must not run a
/// command that was never on screen). Does nothing off a terminal.
void DiscardTypeahead(int fd);

/// Whether a key waits to be read on `fd`, without blocking.
bool KeyWaiting(int fd);

/// Blocks for one key on `fd` (which should be in raw mode). nullopt at end
/// of input or on an interrupt.
std::optional<Key> ReadKey(int fd);

}  // namespace cmdai::ui
