// SPDX-License-Identifier: MIT
// Spinner: "⠋ thinking… 1.2s" on stderr while the model works, redrawn ten
// times a second from a background thread. Inactive (draws nothing) when
// stderr is not a terminal or colour is off (NO_COLOR, --color never,
// TERM=dumb: the caller passes active=false); ASCII frames and "..." when the
// locale is not UTF-8.
#pragma once

#include <atomic>
#include <string>
#include <thread>

namespace cmdai::ui {

class Spinner {
 public:
  /// Starts drawing when `active`. `label` follows the animation.
  Spinner(bool active, std::string label);
  /// Stops and erases the line.
  ~Spinner();
  Spinner(const Spinner&) = delete;
  Spinner& operator=(const Spinner&) = delete;

  void Stop();

 private:
  std::atomic<bool> running_{false};
  std::string label_;
  std::thread thread_;
};

}  // namespace cmdai::ui
