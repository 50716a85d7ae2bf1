// SPDX-License-Identifier: MIT
// Grounding end to end (docs/grounding.md): the built cmdai with the scripted
// test backend (CMDAI_TEST_ANSWERS) and a controlled PATH of real small
// executables — BSD-style find, stat, du, sed, ls and their `man`
// (support/fake_tools.h) — so that a GNU-only option meets a BSD utility, a
// utility is missing, and the automatic revise round takes the next answer.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/fake_tools.h"
#include "support/subprocess.h"
#include "support/tmux.h"

namespace cmdai {
namespace {

using test::RunOptions;
using test::RunProgram;
using test::RunResult;

std::string Fence(const std::string& command, const std::string& explanation = "") {
  return "```bash\n" + command + "\n```" + (explanation.empty() ? "" : "\n" + explanation);
}

RunOptions On(const std::string& path, const std::vector<std::string>& answers) {
  RunOptions o;
  std::string joined;
  for (const auto& a : answers) joined += (joined.empty() ? "" : "\n@@next@@\n") + a;
  o.env["CMDAI_TEST_ANSWERS"] = joined;
  o.env["PATH"] = path;
  o.env["SHELL"] = "/bin/bash";
  o.cwd = test::TempDir();
  return o;
}

nlohmann::json Json(const RunResult& r) {
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

TEST(GroundingE2E, GnuOnlyOptionOnBsdFindIsRevisedWithTheSecondAnswer) {
  const std::string bsd = test::MakeBsdTools();
  RunResult r = RunProgram({CMDAI_BIN, "-o", "json", "sizes", "of", "log", "files"},
                           On(bsd, {Fence("find . -name '*.log' -printf '%s %p\\n'", "Prints sizes."),
                                    Fence("find . -name '*.log' -exec stat -f '%z %N' {} +", "Sizes, BSD style.")}));
  const auto j = Json(r);
  EXPECT_EQ(j["command"], "find . -name '*.log' -exec stat -f '%z %N' {} +");
  EXPECT_EQ(j["explanation"], "Sizes, BSD style.");
  EXPECT_TRUE(j["grounding"].is_array());
  EXPECT_TRUE(j["grounding"].empty()) << j.dump(2);
  const auto& rev = j["grounding_revision"];
  ASSERT_TRUE(rev.is_object()) << j.dump(2);
  EXPECT_EQ(rev["first_command"], "find . -name '*.log' -printf '%s %p\\n'");
  ASSERT_EQ(rev["first_findings"].size(), 1u);
  EXPECT_EQ(rev["first_findings"][0]["kind"], "option");
  EXPECT_EQ(rev["first_findings"][0]["utility"], "find");
  EXPECT_EQ(rev["first_findings"][0]["item"], "-printf");
  EXPECT_EQ(rev["first_findings"][0]["message"], "`-printf` is not supported by this `find` (BSD find)");
  EXPECT_EQ(rev["used"], "second");
  EXPECT_TRUE(j["timings"].contains("grounding_ms"));
}

TEST(GroundingE2E, ASecondAnswerThatDoesNotFitEitherKeepsTheFirstWithItsFindings) {
  const std::string bsd = test::MakeBsdTools();
  RunResult r = RunProgram({CMDAI_BIN, "-o", "json", "file", "size"},
                           On(bsd, {Fence("stat -c %s notes.txt"), Fence("stat -Lc %s notes.txt")}));
  const auto j = Json(r);
  EXPECT_EQ(j["command"], "stat -c %s notes.txt");
  ASSERT_EQ(j["grounding"].size(), 1u) << j.dump(2);
  EXPECT_EQ(j["grounding"][0]["item"], "-c");
  EXPECT_EQ(j["grounding"][0]["start"], 5);
  EXPECT_EQ(j["grounding"][0]["end"], 7);
  EXPECT_EQ(j["grounding_revision"]["second_command"], "stat -Lc %s notes.txt");
  EXPECT_EQ(j["grounding_revision"]["used"], "first");
}

TEST(GroundingE2E, AMissingUtilityIsFlaggedAndNeverBlocks) {
  const std::string bsd = test::MakeBsdTools();
  // One answer only: the revise round finds the script empty and the first stays.
  RunResult r = RunProgram({CMDAI_BIN, "-o", "json", "find", "logs"}, On(bsd, {Fence("fd -e log")}));
  const auto j = Json(r);
  EXPECT_EQ(j["command"], "fd -e log");
  ASSERT_EQ(j["grounding"].size(), 1u) << j.dump(2);
  EXPECT_EQ(j["grounding"][0]["kind"], "missing");
  EXPECT_EQ(j["grounding"][0]["item"], "fd");
  EXPECT_EQ(j["grounding"][0]["message"], "`fd` is not installed");
  EXPECT_EQ(j["grounding_revision"]["used"], "first");
  EXPECT_NE(j["grounding_revision"]["note"].get<std::string>().find("no command"), std::string::npos);
  // Printing is not held back, and a pipe gets only the command.
  RunResult p = RunProgram({CMDAI_BIN, "--print", "find", "logs"}, On(bsd, {Fence("fd -e log")}));
  EXPECT_EQ(p.exit_code, 0) << p.err;
  EXPECT_EQ(p.out, "fd -e log\n");
  EXPECT_EQ(p.err, "");
}

TEST(GroundingE2E, TheRevisedCommandIsWhatAPipeGets) {
  const std::string bsd = test::MakeBsdTools();
  RunResult r = RunProgram({CMDAI_BIN, "--print", "disk", "use"},
                           On(bsd, {Fence("du --max-depth=1 -h ."), Fence("du -d 1 -h .")}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "du -d 1 -h .\n");
}

TEST(GroundingE2E, GroundingFalseTurnsItOff) {
  const std::string bsd = test::MakeBsdTools();
  RunOptions o = On(bsd, {Fence("fd -e log"), Fence("find . -name '*.log'")});
  o.env["CMDAI_GROUNDING"] = "false";
  const auto j = Json(RunProgram({CMDAI_BIN, "-o", "json", "find", "logs"}, o));
  EXPECT_EQ(j["command"], "fd -e log");
  EXPECT_TRUE(j["grounding"].empty());
  EXPECT_TRUE(j["grounding_revision"].is_null());
  // The same from the configuration file.
  RunOptions f = On(bsd, {Fence("fd -e log"), Fence("find . -name '*.log'")});
  const std::string config = test::TempDir() + "/config.toml";
  test::WriteFile(config, "grounding = false\n");
  const auto k = Json(RunProgram({CMDAI_BIN, "--config", config, "-o", "json", "find", "logs"}, f));
  EXPECT_EQ(k["command"], "fd -e log");
  EXPECT_TRUE(k["grounding_revision"].is_null());
}

TEST(GroundingE2E, VerboseShowsGroundingAsItsOwnPhase) {
  const std::string bsd = test::MakeBsdTools();
  RunResult r = RunProgram({CMDAI_BIN, "-v", "--print", "x"}, On(bsd, {Fence("stat -c %s f"), Fence("stat -f %z f")}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "stat -f %z f\n");
  EXPECT_NE(r.err.find("cmdai: grounding "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("cmdai: revised answer: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("showing the second answer"), std::string::npos) << r.err;
}

TEST(GroundingE2E, TheCardShowsWhatDoesNotFit) {
  const std::string bsd = test::MakeBsdTools(), home = test::TempDir();
  const std::map<std::string, std::string> env = {{"CMDAI_TEST_ANSWERS", Fence("fd -e log")},
                                                  {"HOME", home},
                                                  {"SHELL", "/bin/bash"},
                                                  {"TERM", "xterm-256color"},
                                                  {"NO_COLOR", "1"},
                                                  {"PATH", bsd}};
  test::TmuxSession t(std::string(CMDAI_BIN) + " find logs; echo EXIT=$?", env, home);
  ASSERT_TRUE(t.WaitFor("(Enter: ")) << t.Screen();
  EXPECT_NE(t.Screen().find("~ `fd` is not installed  (grounding: missing)"), std::string::npos) << t.Screen();
  t.Send("n");
  ASSERT_TRUE(t.WaitFor("EXIT=")) << t.Screen();
}

}  // namespace
}  // namespace cmdai
