// SPDX-License-Identifier: MIT
// The Ctrl-G widget of `cmdai init SHELL` in real bash, zsh and fish under
// tmux, for commands that are not safe: a blocked command reaches the prompt
// line only commented out (and not at all where `#` is no comment there), its
// reason and the risk of a high one are shown on a line of their own that
// stays visible, and the request and command round-trip byte for byte.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "support/subprocess.h"
#include "support/tmux.h"

namespace cmdai {
namespace {

using test::TmuxSession;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A shell with the widget loaded, in a fresh home whose config denies
// `touch`: a harmless command that is blocked at every level, so a test can
// check that Enter on the prompt line ran nothing.
struct WidgetShell {
  std::string shell;
  std::string home = test::TempDir();
  std::unique_ptr<TmuxSession> tmux;

  // `command` is the model's answer; `rc` goes before the widget is loaded
  // (e.g. shell options).
  WidgetShell(const std::string& name, const std::string& command, const std::string& rc = "") : shell(name) {
    // The answer follows the prompt's opening fence, which names the shell.
    const std::string answer = "```" + shell + "\n" + command + "\n```";
    std::filesystem::create_directories(home + "/.config/cmdai");
    test::WriteFile(home + "/.config/cmdai/config.toml", "[safety]\ndeny = [\"touch\"]\n");
    // cmdai on PATH is a wrapper that records the request it was given.
    std::filesystem::create_directories(home + "/bin");
    test::WriteFile(home + "/bin/cmdai",
                    "#!/bin/sh\nfor last; do :; done\nprintf '%s' \"$last\" > \"$HOME/request\"\nexec " +
                        std::string(CMDAI_BIN) + " \"$@\"\n");
    std::filesystem::permissions(home + "/bin/cmdai", std::filesystem::perms::owner_all);
    std::string start;
    if (shell == "bash") {
      test::WriteFile(home + "/.bashrc", "PS1='prompt$ '\n" + rc + "\neval \"$(cmdai init bash)\"\n");
      start = "bash --noprofile --rcfile " + home + "/.bashrc -i";
    } else if (shell == "zsh") {
      test::WriteFile(home + "/.zshrc", "PS1='prompt$ '\n" + rc + "\neval \"$(cmdai init zsh)\"\n");
      start = "zsh -i";
    } else {
      std::filesystem::create_directories(home + "/.config/fish");
      test::WriteFile(home + "/.config/fish/config.fish",
                      "set -g fish_greeting ''\nfunction fish_prompt; echo -n 'prompt$ '; end\n" + rc +
                          "\ncmdai init fish | source\n");
      start = "fish -i";
    }
    tmux = std::make_unique<TmuxSession>(
        start,
        std::map<std::string, std::string>{{"HOME", home},
                                           {"ZDOTDIR", home},
                                           {"XDG_CONFIG_HOME", home + "/.config"},
                                           {"XDG_DATA_HOME", home + "/.local/share"},
                                           {"PATH", home + "/bin:/usr/local/bin:/usr/bin:/bin"},
                                           {"TERM", "xterm-256color"},
                                           {"LANG", "C.UTF-8"},
                                           {"LC_ALL", "C.UTF-8"},
                                           {"CMDAI_TEST_ANSWERS", answer}},
        home);
  }

  // Types `request` on an empty prompt line and presses Ctrl-G.
  bool Ask(const std::string& request) {
    if (!tmux->WaitFor("prompt$")) return false;
    tmux->Send(request, true);
    if (!tmux->WaitFor(request)) return false;
    tmux->Send("C-g");
    return true;
  }

  // Runs `echo MARK` and waits for its output: the shell has handled every
  // line before it.
  bool Settle(const std::string& mark) {
    tmux->Send("C-u");  // fish and zsh: clear whatever is on the line
    tmux->Send("echo " + mark, true);
    tmux->Send("Enter");
    return tmux->WaitFor("\n" + mark);
  }

  std::string Screen() const { return tmux->Screen(); }
};

// A line of the screen that starts with `prefix`, or "".
std::string LineStarting(const std::string& screen, const std::string& prefix) {
  std::istringstream in(screen);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(prefix, 0) == 0) return line;
  return "";
}

void BlockedGoesInCommentedOut(const std::string& shell, const std::string& rc) {
  WidgetShell s(shell, "touch blocked-marker", rc);
  ASSERT_TRUE(s.Ask("make the marker")) << shell << ":\n" << s.Screen();
  ASSERT_TRUE(s.tmux->WaitFor("prompt$ # blocked (config.deny): touch blocked-marker")) << shell << ":\n" << s.Screen();
  // The reason is on a line of its own, above the prompt.
  const std::string note = LineStarting(s.Screen(), "cmdai: blocked at safety level moderate, critical risk: ");
  EXPECT_NE(note, "") << shell << ":\n" << s.Screen();
  EXPECT_NE(note.find("(config.deny)"), std::string::npos) << note;
  s.tmux->Send("Enter");  // a comment: runs nothing
  ASSERT_TRUE(s.Settle("after-enter")) << shell << ":\n" << s.Screen();
  EXPECT_FALSE(std::filesystem::exists(s.home + "/blocked-marker")) << shell;
  EXPECT_NE(LineStarting(s.Screen(), "cmdai: blocked at safety level"), "") << shell << ":\n" << s.Screen();
}

TEST(WidgetE2E, BlockedCommandGoesOnTheLineOnlyCommentedOutInBash) { BlockedGoesInCommentedOut("bash", ""); }
TEST(WidgetE2E, BlockedCommandGoesOnTheLineOnlyCommentedOutInZsh) {
  BlockedGoesInCommentedOut("zsh", "setopt interactivecomments");
}
TEST(WidgetE2E, BlockedCommandGoesOnTheLineOnlyCommentedOutInFish) { BlockedGoesInCommentedOut("fish", ""); }

// Where `#` starts no comment on the command line, even a commented-out
// command could run (`# x; touch y`): the request stays, and the blocked
// command is shown above it instead.
void BlockedStaysOffALineWithoutComments(const std::string& shell, const std::string& rc) {
  WidgetShell s(shell, "touch blocked-marker", rc);
  ASSERT_TRUE(s.Ask("make the marker")) << shell << ":\n" << s.Screen();
  ASSERT_TRUE(s.tmux->WaitFor("\n# blocked (config.deny): touch blocked-marker\n")) << shell << ":\n" << s.Screen();
  EXPECT_NE(LineStarting(s.Screen(), "cmdai: blocked at safety level moderate"), "") << s.Screen();
  // The prompt line, redrawn below, still holds the request, and nothing else.
  ASSERT_TRUE(s.tmux->WaitFor("touch blocked-marker\nprompt$ make the marker")) << s.Screen();
  const std::string screen = s.Screen();
  EXPECT_EQ(screen.substr(screen.rfind('\n') + 1), "prompt$ make the marker") << screen;
  ASSERT_TRUE(s.Settle("settled")) << s.Screen();
  EXPECT_FALSE(std::filesystem::exists(s.home + "/blocked-marker"));
}

TEST(WidgetE2E, BlockedCommandStaysOffTheLineInZshWithoutInteractiveComments) {
  BlockedStaysOffALineWithoutComments("zsh", "");  // zsh's default
}
TEST(WidgetE2E, BlockedCommandStaysOffTheLineInBashWithoutInteractiveComments) {
  BlockedStaysOffALineWithoutComments("bash", "shopt -u interactive_comments");
}

// A high-risk command goes on the line (the person decides), with its risk
// and reason on a line of their own that editing does not erase.
void HighRiskNoteStays(const std::string& shell) {
  WidgetShell s(shell, "chmod -R 777 x");
  ASSERT_TRUE(s.Ask("open up x")) << shell << ":\n" << s.Screen();
  ASSERT_TRUE(s.tmux->WaitFor("prompt$ chmod -R 777 x")) << shell << ":\n" << s.Screen();
  const std::string note = LineStarting(s.Screen(), "cmdai: high risk: ");
  EXPECT_NE(note, "") << shell << ":\n" << s.Screen();
  EXPECT_NE(note.find('('), std::string::npos) << note;  // names the rule
  s.tmux->Send(" y", true);                              // editing redraws the line (zsh's zle -M note would go)
  ASSERT_TRUE(s.tmux->WaitFor("prompt$ chmod -R 777 x y")) << s.Screen();
  EXPECT_EQ(LineStarting(s.Screen(), "cmdai: high risk: "), note) << shell << ":\n" << s.Screen();
  s.tmux->Send("C-u");
}

TEST(WidgetE2E, HighRiskNoteIsOnItsOwnLineAndStaysInBash) { HighRiskNoteStays("bash"); }
TEST(WidgetE2E, HighRiskNoteIsOnItsOwnLineAndStaysInZsh) { HighRiskNoteStays("zsh"); }
TEST(WidgetE2E, HighRiskNoteIsOnItsOwnLineAndStaysInFish) { HighRiskNoteStays("fish"); }

// A model that must be downloaded first: the widget (which passes --quiet)
// still asks, on a line of its own; "no" leaves the typed request on the
// line and says how to get the model. No test downloads anything: HF_ENDPOINT
// points at a closed port.
void DownloadIsAskedNotHidden(const std::string& shell) {
  const std::string rc = shell == "fish" ? "set -e CMDAI_TEST_ANSWERS; set -gx HF_ENDPOINT http://127.0.0.1:1"
                                         : "unset CMDAI_TEST_ANSWERS; export HF_ENDPOINT=http://127.0.0.1:1";
  WidgetShell s(shell, "ls", rc);
  ASSERT_TRUE(s.Ask("list my files")) << shell << ":\n" << s.Screen();
  ASSERT_TRUE(s.tmux->WaitFor("from the Hugging Face hub? [Y/n]")) << shell << ":\n" << s.Screen();
  const std::string question = LineStarting(s.Screen(), "cmdai: qwen2.5-coder-1.5b is not downloaded yet.");
  EXPECT_NE(question, "") << shell << ":\n" << s.Screen();
  s.tmux->Send("n", true);
  ASSERT_TRUE(s.tmux->WaitFor("cmdai models pull qwen2.5-coder-1.5b")) << shell << ":\n" << s.Screen();
  ASSERT_TRUE(s.tmux->WaitFor("prompt$ list my files")) << shell << ":\n" << s.Screen();
  s.tmux->Send("C-u");
}

TEST(WidgetE2E, ADownloadIsAskedOnItsOwnLineInBash) { DownloadIsAskedNotHidden("bash"); }
TEST(WidgetE2E, ADownloadIsAskedOnItsOwnLineInZsh) { DownloadIsAskedNotHidden("zsh"); }
TEST(WidgetE2E, ADownloadIsAskedOnItsOwnLineInFish) { DownloadIsAskedNotHidden("fish"); }

// A server that accepts connections and never answers: a download from it
// stalls, so cmdai is busy until Ctrl-C. The port closes with the object.
struct SilentServer {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  int port = 0;
  SilentServer() {
    sockaddr_in a = {};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0 || listen(fd, 8) != 0) return;
    socklen_t n = sizeof(a);
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n);
    port = ntohs(a.sin_port);
  }
  ~SilentServer() { close(fd); }
  // A connection waits to be accepted: the client is mid-download.
  bool Connected() const {
    pollfd p = {fd, POLLIN, 0};
    return poll(&p, 1, 0) == 1;
  }
};

// Ctrl-C while cmdai works (here: a download that stalls) puts the typed
// request back on the line, redrawn under cmdai's message.
void CtrlCKeepsTheRequest(const std::string& shell) {
  SilentServer server;
  ASSERT_NE(server.port, 0);
  const std::string endpoint = "http://127.0.0.1:" + std::to_string(server.port);
  const std::string rc = shell == "fish" ? "set -e CMDAI_TEST_ANSWERS; set -gx HF_ENDPOINT " + endpoint
                                         : "unset CMDAI_TEST_ANSWERS; export HF_ENDPOINT=" + endpoint;
  WidgetShell s(shell, "ls", rc);
  test::WriteFile(s.home + "/.config/cmdai/config.toml", "model_download = \"always\"\n");
  ASSERT_TRUE(s.Ask("list my files")) << shell << ":\n" << s.Screen();
  ASSERT_TRUE(test::WaitUntil([&] { return server.Connected(); }, 10000)) << shell << ":\n" << s.Screen();
  s.tmux->Send("C-c");
  ASSERT_TRUE(s.tmux->WaitFor("cmdai: interrupted")) << shell << ":\n" << s.Screen();
  ASSERT_TRUE(s.tmux->WaitFor("prompt$ list my files")) << shell << ":\n" << s.Screen();
  // The request is on the live line: typing extends it.
  s.tmux->Send(" now", true);
  ASSERT_TRUE(s.tmux->WaitFor("prompt$ list my files now")) << shell << ":\n" << s.Screen();
  s.tmux->Send("C-u");
}

TEST(WidgetE2E, CtrlCKeepsTheTypedRequestInBash) { CtrlCKeepsTheRequest("bash"); }
TEST(WidgetE2E, CtrlCKeepsTheTypedRequestInZsh) { CtrlCKeepsTheRequest("zsh"); }
TEST(WidgetE2E, CtrlCKeepsTheTypedRequestInFish) { CtrlCKeepsTheRequest("fish"); }

// Quotes, `$`, backslashes and UTF-8 reach cmdai exactly as typed, and the
// command reaches the line exactly as the model wrote it.
void RoundTrips(const std::string& shell) {
  const std::string request = "say \"it's\" naïve — ✓ $HOME \\n";
  const std::string command = "printf '%s|' \"it's\" 'naïve ✓' \"a  b\"";
  WidgetShell s(shell, command);
  ASSERT_TRUE(s.Ask(request)) << shell << ":\n" << s.Screen();
  ASSERT_TRUE(s.tmux->WaitFor("prompt$ " + command)) << shell << ":\n" << s.Screen();
  EXPECT_EQ(ReadAll(s.home + "/request"), request) << shell;
  s.tmux->Send("Enter");
  ASSERT_TRUE(s.tmux->WaitFor("\nit's|naïve ✓|a  b|")) << shell << ":\n" << s.Screen();
  EXPECT_EQ(LineStarting(s.Screen(), "cmdai:"), "") << s.Screen();  // a safe command has no note
}

TEST(WidgetE2E, RequestAndCommandRoundTripInBash) { RoundTrips("bash"); }
TEST(WidgetE2E, RequestAndCommandRoundTripInZsh) { RoundTrips("zsh"); }
TEST(WidgetE2E, RequestAndCommandRoundTripInFish) { RoundTrips("fish"); }

// A command whose bytes would not show as they are never reaches the line as
// runnable text, even when its rating lets it through.
TEST(WidgetE2E, CommandWithTerminalControlsIsShownNotInserted) {
  for (const std::string shell : {"bash", "fish"}) {
    WidgetShell s(shell, "echo \033[2Kok");
    ASSERT_TRUE(s.Ask("say ok")) << shell << ":\n" << s.Screen();
    ASSERT_TRUE(s.tmux->WaitFor("echo \\e[2Kok")) << shell << ":\n" << s.Screen();
    const std::string screen = s.Screen();
    EXPECT_EQ(screen.find("prompt$ echo"), std::string::npos) << shell << ":\n" << screen;
    EXPECT_NE(screen.find("prompt$ # "), std::string::npos) << shell << ":\n" << screen;
  }
}

}  // namespace
}  // namespace cmdai
