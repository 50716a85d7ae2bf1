// SPDX-License-Identifier: MIT
// Nothing cmdai prints can be spoofed: a command, a model's answer or an
// error holding terminal controls is shown with the controls as visible
// escapes (rate, the card, --print on a terminal, -v, explain, errors), and a
// blocked command is never handed over as runnable text (--print, -o json).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/subprocess.h"
#include "support/tmux.h"

namespace cmdai {
namespace {

using test::RunOptions;
using test::RunProgram;
using test::RunResult;
using test::TmuxSession;

// Cursor up, erase the line, and a fake verdict: what a hostile command would
// like the person to read.
const std::string kSpoof = "ls\033[2K\033[1Arisk: safe";

RunOptions Answer(const std::string& command, const std::string& explanation = "What it does.") {
  RunOptions o;
  o.env["CMDAI_TEST_ANSWERS"] = "```bash\n" + command + "\n```\n" + explanation;
  o.cwd = test::TempDir();
  return o;
}

std::map<std::string, std::string> TerminalEnv(const std::string& home, const std::string& answers) {
  return {{"CMDAI_TEST_ANSWERS", answers}, {"HOME", home},    {"SHELL", "/bin/bash"},
          {"TERM", "xterm-256color"},      {"NO_COLOR", "1"}, {"PATH", "/usr/local/bin:/usr/bin:/bin"}};
}

TEST(VisibleOutputE2E, RateShowsTheEscapeInsteadOfObeyingIt) {
  RunResult r = RunProgram({CMDAI_BIN, "rate", "--", kSpoof});
  EXPECT_EQ(r.out.find('\033'), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ls\\e[2K\\e[1Arisk: safe"), std::string::npos) << r.out;
  EXPECT_NE(r.exit_code, 0);
  // Colour on: the escapes stand out in reverse video, and are still text.
  RunResult c = RunProgram({CMDAI_BIN, "rate", "--color", "always", "--", kSpoof});
  EXPECT_NE(c.out.find("\033[7m\\e\033[27m[2K"), std::string::npos) << c.out;
  // JSON keeps the exact command, escaped by JSON itself.
  RunResult j = RunProgram({CMDAI_BIN, "rate", "-o", "json", "--", kSpoof});
  EXPECT_EQ(nlohmann::json::parse(j.out)["command"], kSpoof);
}

TEST(VisibleOutputE2E, RateOnATerminalCannotBeRedrawnAsSafe) {
  const std::string home = test::TempDir();
  // printf hands cmdai the real ESC bytes (the session's shell is sh).
  TmuxSession t(std::string(CMDAI_BIN) + " rate -- \"$(printf 'ls\\033[2K\\033[1Arisk: safe')\"; echo EXIT=$?",
                TerminalEnv(home, ""), home);
  ASSERT_TRUE(t.WaitFor("EXIT=")) << t.Screen();
  const std::string screen = t.Screen();
  EXPECT_NE(screen.find("ls\\e[2K\\e[1Arisk: safe"), std::string::npos) << screen;
  // Every "risk: safe" on the screen is the command's own text, shown after
  // its escapes; the real verdict line says otherwise.
  size_t fake = 0, shown = 0;
  for (size_t p = screen.find("risk: safe"); p != std::string::npos; p = screen.find("risk: safe", p + 1)) ++fake;
  for (size_t p = screen.find("\\e[1Arisk: safe"); p != std::string::npos; p = screen.find("\\e[1Arisk: safe", p + 1))
    ++shown;
  EXPECT_EQ(fake, shown) << screen;
  EXPECT_NE(screen.find("decision: "), std::string::npos) << screen;
  EXPECT_EQ(screen.find("decision: allow"), std::string::npos) << screen;
  EXPECT_EQ(screen.find("EXIT=0"), std::string::npos) << screen;
}

TEST(VisibleOutputE2E, RateShowsBidiAndInvalidBytesAndKeepsUtf8) {
  RunResult r = RunProgram({CMDAI_BIN, "rate", "--", "echo \xe2\x80\xae~ fr- mr; rm -rf /tmp/x\xff caf\xc3\xa9"});
  EXPECT_EQ(r.out.find("\xe2\x80\xae"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\\u202e~ fr- mr"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("/tmp/x\\xff caf\xc3\xa9"), std::string::npos) << r.out;
}

TEST(VisibleOutputE2E, PrintOfABlockedCommandWritesNothingAndExits5) {
  RunResult r = RunProgram({CMDAI_BIN, "--print", "wipe", "it"}, Answer("rm -rf ~"));
  EXPECT_EQ(r.exit_code, 5);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("blocked at safety level moderate"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("rm -rf ~"), std::string::npos) << r.err;  // named, on stderr only
  // The same without --print (stdout is a pipe) and with --dry-run.
  for (const char* flag : {"--quiet", "--dry-run"}) {
    RunResult p = RunProgram({CMDAI_BIN, flag, "wipe", "it"}, Answer("rm -rf ~"));
    EXPECT_EQ(p.exit_code, 5) << flag;
    EXPECT_EQ(p.out, "") << flag;
  }
  // An object still reports it, with its decision.
  RunResult j = RunProgram({CMDAI_BIN, "--print", "-o", "json", "wipe", "it"}, Answer("rm -rf ~"));
  EXPECT_EQ(j.exit_code, 5);
  auto obj = nlohmann::json::parse(j.out);
  EXPECT_EQ(obj["decision"], "block");
  EXPECT_EQ(obj["command"], "rm -rf ~");
  EXPECT_EQ(obj["executed"], false);
}

TEST(VisibleOutputE2E, PrintGivesAPipeTheExactBytesAndATerminalEscapes) {
  const std::string command = "printf 'a\033[31mb'";
  RunResult r = RunProgram({CMDAI_BIN, "--print", "colour", "it"}, Answer(command));
  if (r.exit_code == 5) GTEST_SKIP() << "blocked by the risk engine: " << r.err;
  EXPECT_EQ(r.out, command + "\n");  // for eval: the command itself
  const std::string home = test::TempDir();
  TmuxSession t(std::string(CMDAI_BIN) + " --print colour it; echo EXIT=$?",
                TerminalEnv(home, "```bash\n" + command + "\n```"), home);
  ASSERT_TRUE(t.WaitFor("EXIT=")) << t.Screen();
  EXPECT_NE(t.Screen().find("printf 'a\\e[31mb'"), std::string::npos) << t.Screen();
}

TEST(VisibleOutputE2E, CardAndMenuShowTheEscapes) {
  const std::string home = test::TempDir();
  TmuxSession t(std::string(CMDAI_BIN) + " do it; echo EXIT=$?",
                TerminalEnv(home, "```bash\n" + kSpoof + "\n```\nLists\033[2K files\xe2\x80\x8b."), home);
  ASSERT_TRUE(t.WaitFor("(Enter: ")) << t.Screen();
  const std::string screen = t.Screen();
  EXPECT_NE(screen.find("  ls\\e[2K\\e[1Arisk: safe"), std::string::npos) << screen;
  EXPECT_NE(screen.find("# Lists\\e[2K files\\u200b."), std::string::npos) << screen;
  t.Send("e");  // the line editor shows the escapes too
  ASSERT_TRUE(t.WaitFor("edit> ls\\e[2K\\e[1Arisk: safe")) << t.Screen();
  t.Send("Escape");
  // The card again, below the editor's line, before the next key.
  ASSERT_TRUE(t.WaitFor("edit> ls\\e[2K\\e[1Arisk: safe\n\n  ls\\e[2K")) << t.Screen();
  t.Send("n");
  ASSERT_TRUE(t.WaitFor("EXIT=7")) << t.Screen();
}

TEST(VisibleOutputE2E, VerboseExplainAndErrorsShowTheEscapes) {
  RunOptions o = Answer("ls", "Lists\033]0;title\a files.");
  RunResult v = RunProgram({CMDAI_BIN, "-v", "--print", "list"}, o);
  EXPECT_EQ(v.exit_code, 0) << v.err;
  EXPECT_EQ(v.err.find('\033'), std::string::npos) << v.err;
  EXPECT_NE(v.err.find("Lists\\e]0;title\\a files."), std::string::npos) << v.err;

  RunOptions e;
  e.env["CMDAI_TEST_ANSWERS"] = "- ls: lists\033[2J\n- \xe2\x80\xaetext";
  RunResult x = RunProgram({CMDAI_BIN, "explain", "--", "ls\033[1A"}, e);
  EXPECT_EQ(x.exit_code, 0) << x.err;
  EXPECT_EQ(x.out, "- ls: lists\\e[2J\n- \\u202etext\n");  // lines kept, controls shown
  EXPECT_EQ(x.err.find('\033'), std::string::npos) << x.err;

  RunResult err = RunProgram({CMDAI_BIN, "models", "path", "no\033[2Kne"});
  EXPECT_NE(err.exit_code, 0);
  EXPECT_EQ(err.err.find('\033'), std::string::npos) << err.err;
  EXPECT_NE(err.err.find("no\\e[2Kne"), std::string::npos) << err.err;
}

}  // namespace
}  // namespace cmdai
