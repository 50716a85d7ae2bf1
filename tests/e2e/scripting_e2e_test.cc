// SPDX-License-Identifier: MIT
// cmdai in scripts: stdout carries only the command or one object; -x, -y
// and --dry-run decide what runs; exit statuses are the documented ones.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/subprocess.h"

namespace cmdai {
namespace {

using test::RunOptions;
using test::RunProgram;
using test::RunResult;

RunOptions With(const std::string& command, const std::string& cwd = "") {
  RunOptions o;
  o.env["CMDAI_TEST_ANSWERS"] = "```bash\n" + command + "\n```\n" + "What it does.";
  o.cwd = cwd.empty() ? test::TempDir() : cwd;
  return o;
}

TEST(ScriptingE2E, OnAPipeStdoutIsOnlyTheCommand) {
  RunResult r = RunProgram({CMDAI_BIN, "list", "files"}, With("ls -la"));
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "ls -la\n");
  EXPECT_EQ(r.err, "");
  RunResult risky = RunProgram({CMDAI_BIN, "--print", "clean", "it"}, With("rm -rf build"));
  EXPECT_EQ(risky.exit_code, 0);  // printing is not running
  EXPECT_EQ(risky.out, "rm -rf build\n");
  RunResult blocked = RunProgram({CMDAI_BIN, "--print", "wipe", "it"}, With("rm -rf ~"));
  EXPECT_EQ(blocked.exit_code, 5);  // but a blocked command is never handed over
  EXPECT_EQ(blocked.out, "");
}

TEST(ScriptingE2E, JsonObjectIsStableAndComplete) {
  RunResult r = RunProgram({CMDAI_BIN, "--output", "json", "find", "big", "files"}, With("find . -size +100M"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["request"], "find big files");
  EXPECT_EQ(j["command"], "find . -size +100M");
  EXPECT_EQ(j["explanation"], "What it does.");
  EXPECT_EQ(j["shell"], "bash");
  EXPECT_EQ(j["risk"], "safe");
  EXPECT_EQ(j["decision"], "allow");
  EXPECT_EQ(j["safety_level"], "moderate");
  EXPECT_TRUE(j["findings"].is_array());
  EXPECT_EQ(j["backend"], "scripted");
  for (const char* k : {"model", "device", "timings"}) EXPECT_TRUE(j.contains(k)) << k;
  for (const char* k : {"load_ms", "prefill_ms", "generation_ms", "total_ms", "prompt_tokens", "generated_tokens"})
    EXPECT_TRUE(j["timings"].contains(k)) << k;
  EXPECT_EQ(j["executed"], false);
  EXPECT_TRUE(j["exit_status"].is_null());
}

TEST(ScriptingE2E, YamlCarriesTheSameFields) {
  RunResult r = RunProgram({CMDAI_BIN, "-o", "yaml", "delete", "logs"}, With("rm *.log"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("command: \"rm *.log\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("risk: \"moderate\""), std::string::npos);
  EXPECT_NE(r.out.find("rule: \"delete.files\"") + r.out.find("rule: \"delete.file\""), 2 * std::string::npos);
  EXPECT_NE(r.out.find("executed: false"), std::string::npos);
  EXPECT_NE(r.out.find("exit_status: ~"), std::string::npos);
}

TEST(ScriptingE2E, YamlNumbersAreWrittenAsJsonWritesThem) {
  RunResult y = RunProgram({CMDAI_BIN, "-o", "yaml", "list"}, With("ls"));
  RunResult j = RunProgram({CMDAI_BIN, "-o", "json", "list"}, With("ls"));
  ASSERT_EQ(y.exit_code, 0) << y.err;
  // total_ms is measured, so never a round number: at most 17 significant
  // digits is what yaml-cpp alone writes (0.72136699999999998).
  const auto at = y.out.find("total_ms: ");
  ASSERT_NE(at, std::string::npos) << y.out;
  const std::string value = y.out.substr(at + 10, y.out.find('\n', at) - at - 10);
  EXPECT_EQ(value, nlohmann::json(std::stod(value)).dump()) << value;
  EXPECT_LT(value.size(), 17u) << value;
  EXPECT_TRUE(nlohmann::json::parse(j.out)["timings"]["total_ms"].is_number());
}

TEST(ScriptingE2E, ExecuteRunsAllowedCommandsAndPassesTheirExitStatus) {
  RunResult r = RunProgram({CMDAI_BIN, "-x", "say", "hi"}, With("echo hi-from-child; exit 3"));
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(r.out, "hi-from-child\n");  // the command's own output only
}

TEST(ScriptingE2E, ConfirmLevelNeedsYesAndBlockedNeverRuns) {
  const std::string dir = test::TempDir();
  std::filesystem::create_directory(dir + "/build");
  RunResult r = RunProgram({CMDAI_BIN, "-x", "clean"}, With("rm -rf build", dir));
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_NE(r.err.find("pass --yes"), std::string::npos) << r.err;
  EXPECT_TRUE(std::filesystem::exists(dir + "/build"));
  r = RunProgram({CMDAI_BIN, "-x", "-y", "clean"}, With("rm -rf build", dir));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir + "/build"));

  test::WriteFile(dir + "/keep", "x");
  r = RunProgram({CMDAI_BIN, "-x", "-y", "clean", "home"}, With("rm -rf ./* ~", dir));
  EXPECT_EQ(r.exit_code, 5);
  EXPECT_NE(r.err.find("blocked at safety level moderate"), std::string::npos) << r.err;
  EXPECT_TRUE(std::filesystem::exists(dir + "/keep"));
}

TEST(ScriptingE2E, DryRunNeverRuns) {
  const std::string dir = test::TempDir();
  RunResult r = RunProgram({CMDAI_BIN, "--dry-run", "-x", "-y", "make", "file"}, With("touch made.txt", dir));
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "touch made.txt\n");
  EXPECT_FALSE(std::filesystem::exists(dir + "/made.txt"));
}

TEST(ScriptingE2E, DryRunPrintsTheRatingAndFindingsOnStderr) {
  RunResult r = RunProgram({CMDAI_BIN, "-n", "clean"}, With("rm -rf build"));
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "rm -rf build\n");  // stdout stays the product
  EXPECT_NE(r.err.find("  rm -rf build\n"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("risk: moderate"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(delete.recursive)"), std::string::npos) << r.err;
  RunResult quiet = RunProgram({CMDAI_BIN, "-n", "-q", "clean"}, With("rm -rf build"));
  EXPECT_EQ(quiet.out, "rm -rf build\n");
  EXPECT_EQ(quiet.err, "");
  RunResult blocked = RunProgram({CMDAI_BIN, "--dry-run", "wipe"}, With("rm -rf ~"));
  EXPECT_EQ(blocked.exit_code, 5);
  EXPECT_EQ(blocked.out, "");
  EXPECT_NE(blocked.err.find("risk: critical"), std::string::npos) << blocked.err;
  EXPECT_NE(blocked.err.find("delete.recursive-critical"), std::string::npos) << blocked.err;
}

TEST(ScriptingE2E, ExecuteRefusalNamesTheCommandItsRatingAndFindings) {
  const std::string dir = test::TempDir();
  std::filesystem::create_directory(dir + "/build");
  RunResult r = RunProgram({CMDAI_BIN, "-x", "clean"}, With("rm -rf build", dir));
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("risk: moderate"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(delete.recursive)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("without confirmation (delete.recursive: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("): rm -rf build; review it"), std::string::npos) << r.err;
  // -q keeps only the error, which still names the command and the rule.
  RunResult quiet = RunProgram({CMDAI_BIN, "-q", "-x", "clean"}, With("rm -rf build", dir));
  EXPECT_EQ(quiet.exit_code, 6);
  EXPECT_EQ(quiet.err.find("risk: moderate"), std::string::npos) << quiet.err;
  EXPECT_NE(quiet.err.find("delete.recursive"), std::string::npos) << quiet.err;
  EXPECT_NE(quiet.err.find("rm -rf build"), std::string::npos) << quiet.err;
  RunResult blocked = RunProgram({CMDAI_BIN, "-x", "-y", "wipe"}, With("rm -rf ~", dir));
  EXPECT_EQ(blocked.exit_code, 5);
  EXPECT_NE(blocked.err.find("risk: critical"), std::string::npos) << blocked.err;
  EXPECT_TRUE(std::filesystem::exists(dir + "/build"));
}

TEST(ScriptingE2E, AMissingModelErrorNamesWhereTheSettingCameFrom) {
  const std::string home = test::TempDir();
  std::filesystem::create_directories(home + "/.config/cmdai");
  test::WriteFile(home + "/.config/cmdai/config.toml", "threads = 2\n\nmodel = \"~/tiny.gguf\"\n");
  RunOptions o;
  o.env = {{"HOME", home}, {"XDG_CONFIG_HOME", home + "/.config"}};
  RunResult r = RunProgram({CMDAI_BIN, "list", "files"}, o);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("cannot open model '" + home + "/tiny.gguf'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("set by model (from " + home + "/.config/cmdai/config.toml:3)"), std::string::npos) << r.err;
  o.env["CMDAI_MODEL"] = home + "/nope.gguf";
  r = RunProgram({CMDAI_BIN, "list", "files"}, o);
  EXPECT_NE(r.err.find("set by CMDAI_MODEL (from the environment)"), std::string::npos) << r.err;
  RunResult dir = RunProgram({CMDAI_BIN, "--config", home, "list", "files"}, o);
  EXPECT_EQ(dir.exit_code, 1) << dir.err;
}

TEST(ScriptingE2E, AMissingShellIsAUsageError) {
  RunOptions o;
  o.env["CMDAI_TEST_ANSWERS"] = "```powershell\nGet-ChildItem\n```";
  o.env["PATH"] = "/usr/bin:/bin";
  if (std::filesystem::exists("/usr/bin/pwsh") || std::filesystem::exists("/bin/pwsh")) GTEST_SKIP() << "pwsh here";
  RunResult r = RunProgram({CMDAI_BIN, "-x", "-y", "-s", "pwsh", "list"}, o);
  EXPECT_EQ(r.exit_code, 2) << r.err;  // the setting's fault, not the model's (3)
  EXPECT_NE(r.err.find("the shell 'pwsh' is not installed"), std::string::npos) << r.err;
}

TEST(ScriptingE2E, JsonWithExecuteRecordsTheExitStatusAndKeepsStdoutClean) {
  RunResult r = RunProgram({CMDAI_BIN, "-x", "-o", "json", "fail"}, With("echo noise; exit 4"));
  EXPECT_EQ(r.exit_code, 4);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["executed"], true);
  EXPECT_EQ(j["exit_status"], 4);
  EXPECT_NE(r.err.find("noise"), std::string::npos);  // the command's stdout went to stderr
}

TEST(ScriptingE2E, NoInputNeverPrompts) {
  RunResult r = RunProgram({CMDAI_BIN, "--no-input", "-x", "clean"}, With("rm -rf build"));
  EXPECT_EQ(r.exit_code, 6);
}

TEST(ScriptingE2E, ExplainPrintsTheExplanationAndTheRating) {
  RunOptions o;
  o.env["CMDAI_TEST_ANSWERS"] = "- tar: archiver\n- -x: extract";
  RunResult r = RunProgram({CMDAI_BIN, "explain", "--", "tar -xzf a.tgz"}, o);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "- tar: archiver\n- -x: extract\n");
  EXPECT_NE(r.err.find("risk: moderate"), std::string::npos) << r.err;
  RunResult none = RunProgram({CMDAI_BIN, "explain"}, o);
  EXPECT_EQ(none.exit_code, 2);
}

}  // namespace
}  // namespace cmdai
