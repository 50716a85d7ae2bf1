// SPDX-License-Identifier: MIT
#include "support/tmux.h"

#include <unistd.h>

#include <chrono>
#include <thread>

#include "support/subprocess.h"

namespace cmdai::test {
namespace {

int counter = 0;

RunResult Tmux(const std::string& socket, std::vector<std::string> args) {
  args.insert(args.begin(), {"tmux", "-L", socket});  // found on PATH by RunProgram
  RunOptions o;
  o.timeout_s = 20;
  o.env["TERM"] = "xterm-256color";
  return RunProgram(args, o);
}

}  // namespace

TmuxSession::TmuxSession(const std::string& command, const std::map<std::string, std::string>& env,
                         const std::string& cwd, int columns)
    : socket_("cmdai-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++)) {
  std::vector<std::string> args = {"-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", std::to_string(columns),
                                   "-y", "40",        "-c",          cwd};
  for (const auto& [k, v] : env) {
    args.push_back("-e");
    args.push_back(k + "=" + v);
  }
  // tmux gives a new session the client's PATH whatever -e says, so PATH is
  // set by the command itself.
  std::string cmd = command;
  if (auto it = env.find("PATH"); it != env.end()) cmd = "PATH='" + it->second + "'; export PATH; " + cmd;
  args.push_back(cmd);
  Tmux(socket_, args);
  Tmux(socket_, {"set-option", "-t", "t", "remain-on-exit", "on"});
}

TmuxSession::~TmuxSession() { Tmux(socket_, {"kill-server"}); }

void TmuxSession::Send(const std::string& keys, bool literal) {
  if (literal)
    Tmux(socket_, {"send-keys", "-t", "t", "-l", keys});
  else
    Tmux(socket_, {"send-keys", "-t", "t", keys});
}

std::string TmuxSession::Screen() const {
  std::string s = Tmux(socket_, {"capture-pane", "-p", "-t", "t"}).out;
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

bool TmuxSession::WaitFor(const std::string& text, int timeout_ms) const {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    // The raw screen: trailing spaces (a prompt's) matter here.
    if (Tmux(socket_, {"capture-pane", "-p", "-t", "t"}).out.find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

}  // namespace cmdai::test
