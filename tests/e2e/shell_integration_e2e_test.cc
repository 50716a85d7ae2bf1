// SPDX-License-Identifier: MIT
// The hotkey from `cmdai init SHELL` in real bash, zsh and fish under tmux:
// the text on the command line becomes the generated command, ready to edit
// and run, and it lands in history as a normal command. Completions load.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "support/subprocess.h"
#include "support/tmux.h"

namespace cmdai {
namespace {

using test::RunOptions;
using test::RunProgram;
using test::TmuxSession;

struct Shell {
  std::string name;
  std::string start;  // command line to start it interactively
};

std::map<std::string, std::string> Env(const std::string& home, const std::string& answer) {
  return {{"HOME", home},
          {"ZDOTDIR", home},
          {"XDG_CONFIG_HOME", home + "/.config"},
          {"XDG_DATA_HOME", home + "/.local/share"},
          {"PATH", std::string(CMDAI_BIN_DIR) + ":" + test::ToolPath()},
          {"TERM", "xterm-256color"},
          {"CMDAI_TEST_ANSWERS", answer}};
}

void Hotkey(const std::string& shell) {
  const std::string home = test::TempDir();
  std::string start;
  if (shell == "bash") {
    test::WriteFile(home + "/.bashrc", "PS1='prompt$ '\nHISTFILE=" + home + "/hist\neval \"$(cmdai init bash)\"\n");
    start = "bash --noprofile --rcfile " + home + "/.bashrc -i";
  } else if (shell == "zsh") {
    test::WriteFile(home + "/.zshrc", "PS1='prompt$ '\nHISTFILE=" + home +
                                          "/hist\nSAVEHIST=100\nHISTSIZE=100\neval \"$(cmdai init zsh)\"\n");
    start = "zsh -i";
  } else {
    std::filesystem::create_directories(home + "/.config/fish");
    test::WriteFile(
        home + "/.config/fish/config.fish",
        "set -g fish_greeting ''\nfunction fish_prompt; echo -n 'prompt$ '; end\ncmdai init fish | source\n");
    start = "fish -i";
  }
  TmuxSession t(start, Env(home, "```" + shell + "\necho hotkey-from-" + shell + "\n```"), home);
  ASSERT_TRUE(t.WaitFor("prompt$")) << shell << ":\n" << t.Screen();
  t.Send("print a greeting", true);
  t.Send("C-g");
  ASSERT_TRUE(t.WaitFor("prompt$ echo hotkey-from-" + shell)) << shell << ":\n" << t.Screen();
  // Replaced, not appended: the prompt line holds the command alone. (zsh and
  // fish leave the request on the line above, where anything cmdai prints
  // goes too.)
  const std::string line = t.Screen();
  EXPECT_EQ(line.substr(line.rfind('\n') + 1), "prompt$ echo hotkey-from-" + shell) << line;
  t.Send("Enter");
  ASSERT_TRUE(t.WaitFor("\nhotkey-from-" + shell)) << shell << ":\n" << t.Screen();
  t.Send("history | cat", true);  // (fish pages `history` on a terminal)
  t.Send("Enter");
  // The generated command is in the history as typed-in commands are: it
  // shows on the prompt line, in its output, and in the history listing.
  const std::string needle = "echo hotkey-from-" + shell;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  int count = 0;
  std::string screen;
  while (count < 2 && std::chrono::steady_clock::now() < deadline) {
    screen = t.Screen();
    const auto listing = screen.find("history | cat");
    count = 0;
    for (size_t p = screen.find(needle); p != std::string::npos; p = screen.find(needle, p + 1)) ++count;
    if (listing == std::string::npos) count = 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_GE(count, 2) << "expected the command on the prompt line and in the history listing:\n" << screen;
}

TEST(ShellIntegrationE2E, HotkeyReplacesTheLineInBash) { Hotkey("bash"); }
TEST(ShellIntegrationE2E, HotkeyReplacesTheLineInZsh) { Hotkey("zsh"); }
TEST(ShellIntegrationE2E, HotkeyReplacesTheLineInFish) { Hotkey("fish"); }

// Completions as a person meets them: Tab in an interactive shell under
// tmux completes subcommands, their actions, options, option values and
// model ids (from `cmdai models ids`).
void Completes(const std::string& shell) {
  const std::string home = test::TempDir();
  std::string start;
  if (shell == "bash") {
    test::WriteFile(home + "/.bashrc", "PS1='prompt$ '\nsource <(cmdai completions bash)\n");
    start = "bash --noprofile --rcfile " + home + "/.bashrc -i";
  } else if (shell == "zsh") {
    test::WriteFile(home + "/.zshrc", "PS1='prompt$ '\nautoload -Uz compinit && compinit -u -d " + home +
                                          "/.zcompdump\nsource <(cmdai completions zsh)\n");
    start = "zsh -i";
  } else {
    std::filesystem::create_directories(home + "/.config/fish");
    test::WriteFile(home + "/.config/fish/config.fish",
                    "set -g fish_greeting ''\nfunction fish_prompt; echo -n 'prompt$ '; end\n"
                    "set -g fish_autosuggestion_enabled 0\ncmdai completions fish | source\n");
    start = "fish -i";
  }
  TmuxSession t(start, Env(home, ""), home);
  ASSERT_TRUE(t.WaitFor("prompt$")) << shell << ":\n" << t.Screen();
  const auto expect_line = [&](const std::string& typed, const std::string& line) {
    t.Send(typed, true);
    t.Send("Tab");
    std::string shown = line;  // the screen keeps no trailing spaces
    while (!shown.empty() && shown.back() == ' ') shown.pop_back();
    EXPECT_TRUE(t.WaitFor("prompt$ " + shown)) << shell << ": " << typed << " -> " << line << "\n" << t.Screen();
  };
  expect_line("cmdai mode", "cmdai models ");
  expect_line("pu", "cmdai models pull ");
  expect_line("qwen2.5-coder-0", "cmdai models pull qwen2.5-coder-0.5b");
  t.Send("C-u");
  expect_line("cmdai --backe", "cmdai --backend ");
  expect_line("oll", "cmdai --backend ollama");
  t.Send("C-u");
  expect_line("cmdai --offl", "cmdai --offline");
  t.Send("C-u");
  expect_line("cmdai --device g", "cmdai --device gpu");
  t.Send("C-u");
  expect_line("cmdai ser", "cmdai serve");
}

TEST(ShellIntegrationE2E, TabCompletesInBash) { Completes("bash"); }
TEST(ShellIntegrationE2E, TabCompletesInZsh) { Completes("zsh"); }
TEST(ShellIntegrationE2E, TabCompletesInFish) { Completes("fish"); }

TEST(ShellIntegrationE2E, InitSnippetsAndCompletionsAreValidInEachShell) {
  const std::string dir = test::TempDir();
  for (const std::string shell : {"bash", "zsh", "fish"}) {
    for (const std::string what : {"init", "completions"}) {
      auto r = RunProgram({CMDAI_BIN, what, shell});
      ASSERT_EQ(r.exit_code, 0) << what << " " << shell;
      const std::string file = dir + "/" + what + "." + shell;
      test::WriteFile(file, r.out);
      auto check = RunProgram({shell, "-n", file});
      EXPECT_EQ(check.exit_code, 0) << what << " " << shell << ": " << check.err;
    }
  }
  RunOptions o;
  o.env["PATH"] = std::string(CMDAI_BIN_DIR) + ":" + test::ToolPath();
  auto bash = RunProgram({"bash", "-c",
                          "source <(cmdai completions bash); COMP_WORDS=(cmdai --saf); COMP_CWORD=1; _cmdai; "
                          "echo \"${COMPREPLY[@]}\"; COMP_WORDS=(cmdai --safety st); COMP_CWORD=2; _cmdai; "
                          "echo \"${COMPREPLY[@]}\""},
                         o);
  EXPECT_EQ(bash.out, "--safety\nstrict\n") << bash.err;
  auto fish = RunProgram({"fish", "-c", "cmdai completions fish | source; complete -C'cmdai --saf'"}, o);
  EXPECT_NE(fish.out.find("--safety"), std::string::npos) << fish.out << fish.err;
  auto bad = RunProgram({CMDAI_BIN, "init", "tcsh"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("bash|zsh|fish"), std::string::npos);
}

}  // namespace
}  // namespace cmdai
