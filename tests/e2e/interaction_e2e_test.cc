// SPDX-License-Identifier: MIT
// The interactive menu, driven in a real terminal (tmux). The model's answers
// come from the documented test hook CMDAI_TEST_ANSWERS, so each test picks
// the command cmdai proposes; rating, menu and execution are the real ones.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "support/subprocess.h"
#include "support/tmux.h"

namespace cmdai {
namespace {

using test::TmuxSession;

std::string Fence(const std::string& command, const std::string& explanation = "") {
  return "```bash\n" + command + "\n```" + (explanation.empty() ? "" : "\n" + explanation);
}

struct Scene {
  std::string dir = test::TempDir();
  std::map<std::string, std::string> env;
  explicit Scene(const std::vector<std::string>& answers) {
    std::string joined;
    for (const auto& a : answers) joined += (joined.empty() ? "" : "\n@@next@@\n") + a;
    env = {{"CMDAI_TEST_ANSWERS", joined}, {"HOME", dir},     {"SHELL", "/bin/bash"},
           {"TERM", "xterm-256color"},     {"NO_COLOR", "1"}, {"PATH", test::ToolPath()}};
  }
  // cmdai, then its exit status, then a marker that the shell is done.
  std::string Command(const std::string& args = "do something") const {
    return std::string(CMDAI_BIN) + " " + args + "; echo EXIT=$?; echo DONE";
  }
};

TEST(InteractionE2E, ShowsTheCommandExplanationRiskAndMenu) {
  Scene r({Fence("rm -rf build/", "Deletes the build directory.")});
  std::filesystem::create_directory(r.dir + "/build");
  TmuxSession t(r.Command(), r.env, r.dir);
  ASSERT_TRUE(t.WaitFor("(Enter: no)")) << t.Screen();
  const std::string screen = t.Screen();
  EXPECT_NE(screen.find("  rm -rf build/"), std::string::npos) << screen;
  EXPECT_NE(screen.find("# Deletes the build directory."), std::string::npos);
  EXPECT_NE(screen.find("risk: moderate"), std::string::npos);
  EXPECT_NE(screen.find("recursively deletes build/"), std::string::npos);
  EXPECT_NE(screen.find("[y]run"), std::string::npos);
  t.Send("Enter");  // Enter never runs anything above safe
  ASSERT_TRUE(t.WaitFor("DONE")) << t.Screen();
  EXPECT_NE(t.Screen().find("aborted; nothing was run"), std::string::npos);
  EXPECT_NE(t.Screen().find("EXIT=7"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(r.dir + "/build"));
}

TEST(InteractionE2E, ExecuteWithAConfirmLevelCommandShowsTheCardOnce) {
  Scene r({Fence("rm -rf build/", "Deletes the build directory.")});
  std::filesystem::create_directory(r.dir + "/build");
  TmuxSession t(r.Command("-x clean"), r.env, r.dir);
  ASSERT_TRUE(t.WaitFor("(Enter: no)")) << t.Screen();
  const std::string screen = t.Screen();
  const auto first = screen.find("# Deletes the build directory.");
  ASSERT_NE(first, std::string::npos) << screen;
  EXPECT_EQ(screen.find("# Deletes the build directory.", first + 1), std::string::npos) << screen;
  t.Send("n");
  ASSERT_TRUE(t.WaitFor("DONE")) << t.Screen();
  EXPECT_NE(t.Screen().find("EXIT=7"), std::string::npos) << t.Screen();
  EXPECT_TRUE(std::filesystem::exists(r.dir + "/build"));
}

TEST(InteractionE2E, WithoutAUtf8LocaleTheCardIsAscii) {
  Scene r({Fence("ls", "Lists.")});
  r.env["LANG"] = "C";
  r.env["LC_ALL"] = "C";
  TmuxSession t(r.Command(), r.env, r.dir);
  ASSERT_TRUE(t.WaitFor("(Enter: run)")) << t.Screen();
  EXPECT_NE(t.Screen().find("risk: safe - allow at safety level moderate"), std::string::npos) << t.Screen();
  t.Send("n");
  ASSERT_TRUE(t.WaitFor("DONE")) << t.Screen();

  Scene u({Fence("ls", "Lists.")});
  u.env["LC_ALL"] = "C.UTF-8";
  TmuxSession t8(u.Command(), u.env, u.dir);
  ASSERT_TRUE(t8.WaitFor("(Enter: run)")) << t8.Screen();
  EXPECT_NE(t8.Screen().find("risk: safe \u00b7 allow at"), std::string::npos) << t8.Screen();
}

TEST(InteractionE2E, ACdOrExportRunFromTheMenuSaysItCannotChangeTheCallingShell) {
  Scene r({Fence("true && export CMDAI_SEEN=1")});
  TmuxSession t(r.Command("set a variable"), r.env, r.dir);
  ASSERT_TRUE(t.WaitFor("(Enter: run)")) << t.Screen();
  t.Send("Enter");
  ASSERT_TRUE(t.WaitFor("DONE")) << t.Screen();
  const std::string screen = t.Screen();
  EXPECT_NE(screen.find("note: export runs in a shell that ends with the command"), std::string::npos) << screen;
  EXPECT_NE(screen.find("Ctrl-G hotkey (cmdai init bash)"), std::string::npos) << screen;
  EXPECT_NE(screen.find("eval \"$(cmdai --print 'set a variable')\""), std::string::npos) << screen;
  EXPECT_NE(screen.find("EXIT=0"), std::string::npos) << screen;
}

TEST(InteractionE2E, RunsASafeCommandOnEnterAndPassesItsExitStatus) {
  Scene r({Fence("ls /nonexistent-dir-for-cmdai")});
  TmuxSession t(r.Command(), r.env, r.dir);
  ASSERT_TRUE(t.WaitFor("(Enter: run)")) << t.Screen();
  t.Send("Enter");
  ASSERT_TRUE(t.WaitFor("DONE")) << t.Screen();
  EXPECT_NE(t.Screen().find("No such file or directory"), std::string::npos) << t.Screen();
  EXPECT_NE(t.Screen().find("EXIT=2"), std::string::npos) << t.Screen();  // ls's own status
}

TEST(InteractionE2E, ModerateCommandRunsOnlyOnY) {
  Scene r({Fence("rm -rf build/")});
  std::filesystem::create_directory(r.dir + "/build");
  TmuxSession t(r.Command(), r.env, r.dir);
  ASSERT_TRUE(t.WaitFor("(Enter: no)")) << t.Screen();
  t.Send("y");
  ASSERT_TRUE(t.WaitFor("DONE")) << t.Screen();
  EXPECT_NE(t.Screen().find("EXIT=0"), std::string::npos) << t.Screen();
  EXPECT_FALSE(std::filesystem::exists(r.dir + "/build"));
}

TEST(InteractionE2E, EditedCommandIsRatedAgainBeforeItMayRun) {
  Scene r({Fence("ls")});
  TmuxSession t(r.Command(), r.env, r.dir);
  ASSERT_TRUE(t.WaitFor("(Enter: run)")) << t.Screen();
  t.Send("e");
  ASSERT_TRUE(t.WaitFor("edit> ls")) << t.Screen();
  t.Send("C-u");
  t.Send("rm -rf ~", true);
  t.Send("Enter");
  ASSERT_TRUE(t.WaitFor("risk: critical")) << t.Screen();
  EXPECT_TRUE(t.WaitFor("blocked at safety level moderate")) << t.Screen();
  t.Send("y");  // blocked: y does nothing
  ASSERT_TRUE(t.WaitFor("not running it")) << t.Screen();
  t.Send("n");
  ASSERT_TRUE(t.WaitFor("DONE")) << t.Screen();
  EXPECT_NE(t.Screen().find("EXIT=7"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(r.dir));
}

TEST(InteractionE2E, LineEditorMovesTheCursorAndDeletesWords) {
  Scene r({Fence("echo one two")});
  TmuxSession t(r.Command(), r.env, r.dir);
  ASSERT_TRUE(t.WaitFor("(Enter: run)")) << t.Screen();
  t.Send("e");
  ASSERT_TRUE(t.WaitFor("edit> echo one two")) << t.Screen();
  t.Send("C-w");    // drop "two"
  t.Send("C-a");    // to the start
  t.Send("Right");  // past "e"
  t.Send("Delete");
  t.Send("E", true);  // "eEho one " → typo fixed back below
  t.Send("BSpace");
  t.Send("c", true);
  t.Send("End");
  t.Send("three", true);
  t.Send("Enter");
  ASSERT_TRUE(t.WaitFor("  echo one three")) << t.Screen();
  t.Send("Enter");
  ASSERT_TRUE(t.WaitFor("DONE")) << t.Screen();
  EXPECT_NE(t.Screen().find("\none three\n"), std::string::npos) << t.Screen();
}

// Editing a command wider than the terminal: one row, scrolled to the
// cursor; no stale rows pile up; the accepted text is the whole line.
void EditALongCommandAt(int columns) {
  std::string words;
  for (int i = 0; i < 30; ++i) words += " w" + std::to_string(i);  // 30 words, ~130 columns
  Scene r({Fence("echo" + words)});
  TmuxSession t(r.Command(), r.env, r.dir, columns);
  ASSERT_TRUE(t.WaitFor("(Enter: run)")) << t.Screen();
  t.Send("e");
  ASSERT_TRUE(t.WaitFor("edit> ")) << t.Screen();
  for (int i = 0; i < 12; ++i) t.Send("Left");
  t.Send("X", true);
  t.Send("C-a");
  t.Send("Right");
  t.Send("Y", true);
  t.Send("End");
  t.Send(" end", true);
  ASSERT_TRUE(t.WaitFor("w29 end")) << t.Screen();
  const std::string screen = t.Screen();
  size_t rows = 0;
  for (size_t at = 0; (at = screen.find("edit> ", at)) != std::string::npos; ++at) ++rows;
  EXPECT_EQ(rows, 1u) << screen;  // each keystroke redrew the same row
  const size_t row_start = screen.rfind('\n', screen.find("edit> ")) + 1;
  const size_t row_end = std::min(screen.find('\n', row_start), screen.size());
  EXPECT_LT(row_end - row_start, static_cast<size_t>(columns)) << screen;
  t.Send("Enter");
  std::string expected = "echo" + words;
  expected.insert(expected.size() - 12, "X");  // 12 left of the end
  expected.insert(1, "Y");                     // after Ctrl-A and one right
  expected += " end";
  ASSERT_TRUE(t.WaitFor("(Enter: run)")) << t.Screen();
  t.Send("n");
  ASSERT_TRUE(t.WaitFor("DONE")) << t.Screen();
  // The card shows the accepted command in full (wrapped by the terminal).
  std::string joined;
  for (char c : t.Screen())
    if (c != '\n') joined += c;
  EXPECT_NE(joined.find(expected), std::string::npos) << expected << "\n" << t.Screen();
}

TEST(InteractionE2E, EditingACommandWiderThanTheTerminalAt40Columns) { EditALongCommandAt(40); }
TEST(InteractionE2E, EditingACommandWiderThanTheTerminalAt120Columns) { EditALongCommandAt(120); }

TEST(InteractionE2E, BlockedCommandIsShownWithReasonsAndNotRun) {
  Scene r({Fence("rm -rf ~/")});
  test::WriteFile(r.dir + "/keep.txt", "x");
  TmuxSession t(r.Command(), r.env, r.dir);
  ASSERT_TRUE(t.WaitFor("(Enter: no)")) << t.Screen();
  const std::string screen = t.Screen();
  EXPECT_NE(screen.find("risk: critical"), std::string::npos) << screen;
  EXPECT_NE(screen.find("recursively deletes the home directory"), std::string::npos);
  EXPECT_NE(screen.find("--safety permissive"), std::string::npos);
  EXPECT_EQ(screen.find("[y]run"), std::string::npos);
  t.Send("y");
  t.Send("Enter");
  ASSERT_TRUE(t.WaitFor("DONE")) << t.Screen();
  EXPECT_TRUE(std::filesystem::exists(r.dir + "/keep.txt"));
}

TEST(InteractionE2E, HighRiskNeedsYesTypedOut) {
  Scene r({Fence("chmod 777 data.txt")});
  test::WriteFile(r.dir + "/data.txt", "x");
  chmod((r.dir + "/data.txt").c_str(), 0644);
  TmuxSession t(r.Command(), r.env, r.dir);
  ASSERT_TRUE(t.WaitFor("risk: high")) << t.Screen();
  t.Send("y");
  ASSERT_TRUE(t.WaitFor("type yes to run it")) << t.Screen();
  t.Send("y", true);
  t.Send("Enter");
  ASSERT_TRUE(t.WaitFor("not run")) << t.Screen();
  struct stat st {};
  stat((r.dir + "/data.txt").c_str(), &st);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
  t.Send("y");
  ASSERT_TRUE(t.WaitFor("type yes to run it: ")) << t.Screen();
  t.Send("yes", true);
  t.Send("Enter");
  ASSERT_TRUE(t.WaitFor("DONE")) << t.Screen();
  stat((r.dir + "/data.txt").c_str(), &st);
  EXPECT_EQ(st.st_mode & 0777, 0777u);
}

TEST(InteractionE2E, ReviseAsksTheModelAgainWithFeedback) {
  Scene r({Fence("ls"), Fence("ls -la", "Lists all files, long format.")});
  TmuxSession t(r.Command(), r.env, r.dir);
  ASSERT_TRUE(t.WaitFor("(Enter: run)")) << t.Screen();
  t.Send("r");
  ASSERT_TRUE(t.WaitFor("revise>")) << t.Screen();
  t.Send("show hidden files too", true);
  t.Send("Enter");
  ASSERT_TRUE(t.WaitFor("  ls -la")) << t.Screen();
  EXPECT_TRUE(t.WaitFor("# Lists all files, long format."));
  t.Send("n");
  ASSERT_TRUE(t.WaitFor("DONE")) << t.Screen();
}

TEST(InteractionE2E, DescribeShowsTheModelsExplanation) {
  Scene r({Fence("du -sh *"), "- du: disk usage\n- -s: one total per argument\n- -h: human-readable sizes"});
  TmuxSession t(r.Command(), r.env, r.dir);
  ASSERT_TRUE(t.WaitFor("(Enter: run)")) << t.Screen();
  t.Send("d");
  ASSERT_TRUE(t.WaitFor("- -h: human-readable sizes")) << t.Screen();
  EXPECT_NE(t.Screen().find("  - du: disk usage"), std::string::npos);
  t.Send("q");
  ASSERT_TRUE(t.WaitFor("DONE")) << t.Screen();
}

TEST(InteractionE2E, CopyUsesTheTerminalClipboardEscape) {
  Scene r({Fence("echo copied")});
  TmuxSession t(r.Command(), r.env, r.dir);
  ASSERT_TRUE(t.WaitFor("(Enter: run)")) << t.Screen();
  t.Send("c");
  ASSERT_TRUE(t.WaitFor("copied with")) << t.Screen();
  t.Send("n");
  ASSERT_TRUE(t.WaitFor("DONE")) << t.Screen();
}

TEST(InteractionE2E, InteractiveProgramsGetTheTerminalAndCtrlCReachesTheCommand) {
  Scene r({Fence("read -p 'name? ' n && echo \"hello $n\" && sleep 30")});
  TmuxSession t(r.Command("--shell bash greet me"), r.env, r.dir);
  ASSERT_TRUE(t.WaitFor("(Enter: run)")) << t.Screen();
  t.Send("Enter");
  ASSERT_TRUE(t.WaitFor("name? ")) << t.Screen();
  t.Send("bob", true);
  t.Send("Enter");
  ASSERT_TRUE(t.WaitFor("hello bob")) << t.Screen();
  t.Send("C-c");
  ASSERT_TRUE(t.WaitFor("DONE")) << t.Screen();
  EXPECT_NE(t.Screen().find("EXIT=130"), std::string::npos) << t.Screen();
}

}  // namespace
}  // namespace cmdai
