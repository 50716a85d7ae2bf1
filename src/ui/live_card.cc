// SPDX-License-Identifier: MIT
#include "ui/live_card.h"

#include <unistd.h>

#include "common/visible_text.h"
#include "ui/presenter.h"

namespace cmdai::ui {
namespace {

// The explanation in `answer` after its closing fence (which ends at
// `body`): one line (the grammar's shape); blank lines before it are
// skipped, and a second line is not the explanation.
std::string Explanation(const std::string& answer, size_t body) {
  size_t from = answer.find_first_not_of('\n', body);
  if (from == std::string::npos) from = answer.size();
  size_t end = answer.find('\n', from);
  if (end == std::string::npos) end = answer.size();
  return answer.substr(from, end - from);
}

}  // namespace

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

void LiveCard::Show(const std::string& piece) {
  if (piece.empty()) return;
  Write((line_open_ ? "" : "  ") + style_.Dim((line_open_ ? "" : "# ") + style_.Visible(piece)));
  line_open_ = true;
}

void LiveCard::EndLine() {
  if (line_open_) Write("\n");
  line_open_ = false;
}

bool LiveCard::OnText(const std::string& answer) {
  if (finished_ || diverged_) return true;
  const size_t fence = answer.size() < prefix_.size() ? std::string::npos : answer.find("\n```", prefix_.size());
  if (fence == std::string::npos) {
    // An answer drawn already that lost its fence started again (a server
    // gone mid-answer, its fallback answering anew): what is on screen is
    // left as it is, and the whole card is drawn again at the end.
    if (drawn_) {
      diverged_ = true;
      EndLine();
    }
    return true;
  }
  const size_t body = fence + 4;
  if (!command_ready_) {
    command_ready_ = Clock::now();
    if (!draw_ || !head_) return true;
    const std::optional<std::string> head = head_(answer.substr(0, body));
    if (!head) return true;
    if (before_draw_) before_draw_();
    DiscardTypeahead(key_fd_);  // keys count from when the card is on screen
    Write(*head);
    drawn_ = true;
    raw_.emplace(key_fd_);  // keys now go to the menu, unechoed
  }
  if (!drawn_) return true;
  explanation_ = Explanation(answer, body);
  if (explanation_.compare(0, shown_, shown_text_) != 0) {  // not a growth of what is shown
    diverged_ = true;
    EndLine();
    return true;
  }
  const size_t whole = WholeUtf8Prefix(explanation_);
  if (whole > shown_) {
    Show(explanation_.substr(shown_, whole - shown_));
    shown_text_ = explanation_.substr(0, whole);
    shown_ = whole;
  }
  // A menu key ends the generation and is the menu's choice; any other key
  // (an arrow, Ctrl-Z in raw mode) is dropped and the explanation goes on.
  while (KeyWaiting(key_fd_)) {
    std::optional<Key> key = ReadKey(key_fd_);
    if (!key) key = Key{KeyCode::kCtrlD, ""};  // end of input: the menu says no
    if (MenuChoice(*key, safety::Assessment{}) == 0) continue;
    key_ = key;
    return false;
  }
  return true;
}

void LiveCard::Finish() {
  if (finished_) return;
  finished_ = true;
  // Bytes held back for a character's rest that never came: shown now, as
  // escapes, like any invalid byte.
  if (drawn_ && !diverged_ && explanation_.size() > shown_) Show(explanation_.substr(shown_));
  EndLine();
  raw_.reset();
}

}  // namespace cmdai::ui
