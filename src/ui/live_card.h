// SPDX-License-Identifier: MIT
// LiveCard: the card drawn while the model is still answering. The command
// and its rating appear the moment the answer's closing fence is generated;
// the explanation is drawn as it streams in after them; a key pressed
// meanwhile ends the generation and is kept for the menu
// (docs/interaction.md). It plugs into GenerationRequest::on_text.
//
// Without a person watching it draws nothing and only records when the
// command was ready (-v's "time to command").
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "ui/keys.h"
#include "ui/style.h"

namespace cmdai::ui {

class LiveCard {
 public:
  using Clock = std::chrono::steady_clock;
  /// Gets the answer up to and including its closing fence; returns the
  /// card's first lines for that command (command, rating, findings), or
  /// nullopt when the card must wait for the whole answer (it has no
  /// command, or it will be revised). Called at most once.
  using Head = std::function<std::optional<std::string>(const std::string& answer_through_fence)>;

  /// `answer_prefix`: where the model's text starts (after the opening
  /// fence). `draw`: a person watches (stdin and stderr are terminals).
  /// `before_draw` runs just before the first line is drawn (it stops the
  /// spinner). Keys are read from `key_fd`, lines written to `out_fd`.
  LiveCard(std::string answer_prefix, bool draw, Style style, Head head, std::function<void()> before_draw, int key_fd,
           int out_fd);
  /// Finish().
  ~LiveCard();
  LiveCard(const LiveCard&) = delete;
  LiveCard& operator=(const LiveCard&) = delete;

  /// For GenerationRequest::on_text: false once a key was pressed.
  bool OnText(const std::string& answer);

  /// Ends the explanation's line and gives the terminal back; the card is
  /// then whole on screen when drawn(). Idempotent.
  void Finish();

  /// The card's head is on screen and what follows it is the answer's: the
  /// card is whole once Finish() ran. False when the answer started again
  /// after its head was drawn (then the caller draws the whole card anew).
  bool drawn() const { return drawn_ && !diverged_; }
  /// The key pressed while the explanation streamed, for the menu.
  const std::optional<Key>& key() const { return key_; }
  /// When the closing fence arrived, if it did.
  const std::optional<Clock::time_point>& command_ready() const { return command_ready_; }

 private:
  void Write(const std::string& s) const;
  void Show(const std::string& piece);  // a piece of the explanation, on its line
  void EndLine();

  std::string prefix_;
  bool draw_;
  Style style_;
  Head head_;
  std::function<void()> before_draw_;
  int key_fd_;
  int out_fd_;
  std::optional<Clock::time_point> command_ready_;
  bool drawn_ = false;
  bool line_open_ = false;  // "  # …" started and not yet ended
  bool finished_ = false;
  bool diverged_ = false;    // the answer did not grow from what is on screen
  std::string explanation_;  // the latest explanation seen
  std::string shown_text_;   // the part of it on screen
  size_t shown_ = 0;         // its length in bytes
  std::optional<Key> key_;
  std::optional<RawMode> raw_;
};

}  // namespace cmdai::ui
