// SPDX-License-Identifier: MIT
#include "ui/line_editor.h"

#include <unistd.h>

#include <algorithm>
#include <vector>

#include "common/visible_text.h"
#include "ui/terminal.h"

namespace cmdai::ui {
namespace {

bool Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

size_t Prev(const std::string& s, size_t i) {
  if (i == 0) return 0;
  --i;
  while (i > 0 && Continuation(s[i])) --i;
  return i;
}

size_t Next(const std::string& s, size_t i) {
  if (i >= s.size()) return s.size();
  ++i;
  while (i < s.size() && Continuation(s[i])) ++i;
  return i;
}

void Write(int fd, const std::string& s) {
  size_t off = 0;
  while (off < s.size()) {
    ssize_t w = write(fd, s.data() + off, s.size() - off);
    if (w <= 0) return;
    off += static_cast<size_t>(w);
  }
}

// The columns `prompt` takes: escape sequences (colour) take none.
size_t PromptWidth(const std::string& prompt) {
  size_t width = 0;
  for (size_t i = 0; i < prompt.size(); ++i) {
    if (prompt[i] == '\033') {
      while (i < prompt.size() && !(prompt[i] >= '@' && prompt[i] <= '~' && prompt[i] != '[')) ++i;
      continue;
    }
    if (!Continuation(prompt[i])) ++width;
  }
  return width;
}

// One character of the text as shown, and the columns it takes.
struct Shown {
  std::string text;
  size_t width;
};

std::vector<Shown> ShownPieces(std::string_view s, const VisibleOptions& o) {
  std::vector<Shown> out;
  const std::string str(s);
  for (size_t i = 0; i < str.size();) {
    const size_t next = Next(str, i);
    const std::string_view piece(str.data() + i, next - i);
    out.push_back({VisibleText(piece, o), VisibleWidth(piece, o)});
    i = next;
  }
  return out;
}

}  // namespace

EditFrame DrawEditLine(const std::string& prompt, const EditState& st, size_t columns) {
  // The text is drawn visibly: a command being edited may hold controls or
  // bidi characters that would otherwise move the cursor or reorder what is
  // shown (common/visible_text.h). One column per shown character keeps the
  // cursor arithmetic exact.
  VisibleOptions o;
  o.keep_tabs = false;
  const std::vector<Shown> left = ShownPieces(std::string_view(st.text).substr(0, st.cursor), o);
  const std::vector<Shown> right = ShownPieces(std::string_view(st.text).substr(st.cursor), o);
  size_t wl = 0, wr = 0;
  for (const auto& p : left) wl += p.width;
  for (const auto& p : right) wr += p.width;
  // The last column stays empty: writing there makes some terminals wrap.
  const size_t prompt_w = PromptWidth(prompt);
  const size_t room = columns > prompt_w + 8 ? columns - prompt_w - 1 : 0;
  EditFrame f;
  f.text = "\r\033[K" + prompt;
  if (room == 0 || wl + wr <= room) {  // it fits (or the width is unknown)
    for (const auto& p : left) f.text += p.text;
    for (const auto& p : right) f.text += p.text;
    f.back = wr;
    return f;
  }
  // Too wide: one row, scrolled so the cursor shows, '<' and '>' marking
  // text beyond either edge. The right side keeps a third of the room.
  const size_t right_room = std::min(wr + 1, room / 3);
  size_t left_room = room - right_room;
  std::string left_text;
  if (wl + 1 > left_room) {  // cut on the left: the tail that fits after '<'
    size_t used = 0, k = left.size();
    while (k > 0 && used + left[k - 1].width <= left_room - 1) used += left[--k].width;
    left_text = "<";
    for (; k < left.size(); ++k) left_text += left[k].text;
    left_room = used + 1;
  } else {
    for (const auto& p : left) left_text += p.text;
    left_room = wl;
  }
  const size_t right_cols = room - left_room;
  std::string right_text;
  size_t shown_right = 0;
  if (wr > right_cols) {  // cut on the right: the head that fits before '>'
    for (size_t k = 0; k < right.size() && shown_right + right[k].width <= right_cols - 1; ++k) {
      right_text += right[k].text;
      shown_right += right[k].width;
    }
    right_text += ">";
    ++shown_right;
  } else {
    for (const auto& p : right) right_text += p.text;
    shown_right = wr;
  }
  f.text += left_text + right_text;
  f.back = shown_right;
  return f;
}

EditResult ApplyKey(EditState& st, const Key& key) {
  std::string& t = st.text;
  size_t& c = st.cursor;
  switch (key.code) {
    case KeyCode::kChar:
      t.insert(c, key.text);
      c += key.text.size();
      break;
    case KeyCode::kEnter: return EditResult::kAccept;
    case KeyCode::kEscape:
    case KeyCode::kCtrlC: return EditResult::kCancel;
    case KeyCode::kCtrlD:
      if (t.empty()) return EditResult::kCancel;
      [[fallthrough]];
    case KeyCode::kDelete:
      if (c < t.size()) t.erase(c, Next(t, c) - c);
      break;
    case KeyCode::kBackspace:
      if (c > 0) {
        size_t p = Prev(t, c);
        t.erase(p, c - p);
        c = p;
      }
      break;
    case KeyCode::kLeft: c = Prev(t, c); break;
    case KeyCode::kRight: c = Next(t, c); break;
    case KeyCode::kHome:
    case KeyCode::kCtrlA: c = 0; break;
    case KeyCode::kEnd:
    case KeyCode::kCtrlE: c = t.size(); break;
    case KeyCode::kCtrlU:
      t.erase(0, c);
      c = 0;
      break;
    case KeyCode::kCtrlK: t.erase(c); break;
    case KeyCode::kCtrlW: {  // delete the word before the cursor, as readline does
      size_t p = c;
      while (p > 0 && t[p - 1] == ' ') --p;
      while (p > 0 && t[p - 1] != ' ') --p;
      t.erase(p, c - p);
      c = p;
      break;
    }
    default: break;
  }
  return EditResult::kContinue;
}

std::optional<std::string> EditLine(const std::string& prompt, const std::string& initial, int in_fd, int out_fd) {
  RawMode raw(in_fd);
  EditState st{initial, initial.size()};
  for (;;) {
    // Redraw: return, clear the row, prompt and text on that one row, then
    // step back to the cursor.
    const int cols = Terminal::Columns(out_fd);
    EditFrame f = DrawEditLine(prompt, st, cols > 0 ? static_cast<size_t>(cols) : 0);
    if (f.back > 0) f.text += "\033[" + std::to_string(f.back) + "D";
    Write(out_fd, f.text);
    auto key = ReadKey(in_fd);
    if (!key) {
      Write(out_fd, "\r\n");
      return std::nullopt;
    }
    const EditResult r = ApplyKey(st, *key);
    if (r == EditResult::kAccept) {
      Write(out_fd, "\r\n");
      return st.text;
    }
    if (r == EditResult::kCancel) {
      Write(out_fd, "\r\n");
      return std::nullopt;
    }
  }
}

}  // namespace cmdai::ui
