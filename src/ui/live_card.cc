// SPDX-License-Identifier: MIT
#include "ui/live_card.h"

#include <unistd.h>

namespace cmdai::ui {

size_t WholeUtf8Prefix(const std::string& s) {
  // Look back at most three bytes for the lead byte of a last, unfinished
  // character.
  const size_t n = s.size();
  for (size_t back = 1; back <= 4 && back <= n; ++back) {
    const auto c = static_cast<unsigned char>(s[n - back]);
    if ((c & 0xC0) == 0x80) continue;  // a continuation byte
    const size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
    return back < len ? n - back : n;
  }
  return n;  // not UTF-8 at all: shown as escapes anyway
}

LiveCard::LiveCard(std::string answer_prefix, bool draw, Style style, Head head, std::function<void()> before_draw,
                   int key_fd, int out_fd)
    : prefix_(std::move(answer_prefix)),
      draw_(draw),
      style_(style),
      head_(std::move(head)),
      before_draw_(std::move(before_draw)),
      key_fd_(key_fd),
      out_fd_(out_fd) {}

LiveCard::~LiveCard() { Finish(); }

void LiveCard::Write(const std::string& s) const {
  for (size_t at = 0; at < s.size();) {
    const ssize_t n = write(out_fd_, s.data() + at, s.size() - at);
    if (n <= 0) return;  // a closed terminal: nothing left to show
    at += static_cast<size_t>(n);
  }
}

bool LiveCard::OnText(const std::string& answer) {
  if (finished_ || answer.size() < prefix_.size()) return true;
  const size_t fence = answer.find("\n```", prefix_.size());
  if (fence == std::string::npos) return true;
  const size_t body = fence + 4;  // the explanation starts after the fence
  if (!command_ready_) {
    command_ready_ = Clock::now();
    if (!draw_ || !head_) return true;
    const std::optional<std::string> head = head_(answer.substr(0, body));
    if (!head) return true;
    if (before_draw_) before_draw_();
    Write(*head);
    drawn_ = true;
    raw_.emplace(key_fd_);  // keys now go to the menu, unechoed
  }
  if (!drawn_) return true;
  // The explanation: one line after the fence (the grammar's shape); blank
  // lines before it are skipped, and a second line is not the explanation.
  size_t from = answer.find_first_not_of('\n', body);
  if (from == std::string::npos) from = answer.size();
  size_t end = answer.find('\n', from);
  if (end == std::string::npos) end = answer.size();
  const std::string text = answer.substr(from, end - from);
  const size_t whole = WholeUtf8Prefix(text);
  if (whole > shown_) {
    Write((line_open_ ? "" : "  ") +
          style_.Dim((line_open_ ? "" : "# ") + style_.Visible(text.substr(shown_, whole - shown_))));
    line_open_ = true;
    shown_ = whole;
  }
  if (KeyWaiting(key_fd_)) {
    key_ = ReadKey(key_fd_);
    if (!key_) key_ = Key{KeyCode::kCtrlD, ""};  // end of input: the menu says no
    return false;
  }
  return true;
}

void LiveCard::Finish() {
  if (finished_) return;
  finished_ = true;
  if (line_open_) Write("\n");
  line_open_ = false;
  raw_.reset();
}

}  // namespace cmdai::ui
