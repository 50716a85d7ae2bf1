// SPDX-License-Identifier: MIT
#include "ui/line_editor.h"

#include <unistd.h>

#include "common/visible_text.h"

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

}  // namespace

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
    // Redraw: return, clear the line, prompt and text, then step back to the
    // cursor. The text is drawn visibly: a command being edited may hold
    // controls or bidi characters that would otherwise move the cursor or
    // reorder what is shown (common/visible_text.h).
    VisibleOptions shown;
    shown.keep_tabs = false;  // one column per shown character keeps the cursor arithmetic exact
    std::string frame = "\r\033[K" + prompt + VisibleText(st.text, shown);
    const size_t back = VisibleWidth(std::string_view(st.text).substr(st.cursor), shown);
    if (back > 0) frame += "\033[" + std::to_string(back) + "D";
    Write(out_fd, frame);
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
