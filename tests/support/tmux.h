// SPDX-License-Identifier: MIT
// TmuxSession: drives a program in a real terminal (tmux on a private
// socket), typing keys and reading the screen, as a person would.
#pragma once

#include <map>
#include <string>

namespace cmdai::test {

class TmuxSession {
 public:
  /// Starts `command` (run by /bin/sh) in a detached tmux session `columns`
  /// wide and 40 rows high with `env` set, in `cwd`. The session stays open
  /// after the command ends.
  TmuxSession(const std::string& command, const std::map<std::string, std::string>& env, const std::string& cwd,
              int columns = 120);
  ~TmuxSession();

  /// Sends tmux key names ("Enter", "C-c", "y") or literal text (literal=true).
  void Send(const std::string& keys, bool literal = false);
  /// The visible screen, trailing blank lines removed.
  std::string Screen() const;
  /// Polls the screen until it contains `text`; false after `timeout_ms`.
  bool WaitFor(const std::string& text, int timeout_ms = 10000) const;

 private:
  std::string socket_;
};

}  // namespace cmdai::test
