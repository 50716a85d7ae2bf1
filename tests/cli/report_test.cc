// SPDX-License-Identifier: MIT
// The record `--output json|yaml` prints, and the other forms of a
// request's result: every documented field in its order, the same fields in
// YAML, text that cannot be spoofed on a terminal, and the -v timing lines.
#include "cli/report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace cmdai {
namespace {

Report Sample() {
  Report r;
  r.request = "delete the build folder";
  r.command = "rm -rf build";
  r.explanation = "Removes build/.";
  r.shell = "bash";
  r.assessment.command = r.command;
  r.assessment.risk = safety::Risk::kHigh;
  r.assessment.decision = safety::Decision::kConfirm;
  r.assessment.level = safety::SafetyLevel::kModerate;
  safety::Finding f;
  f.rule = "delete.recursive";
  f.risk = safety::Risk::kHigh;
  f.message = "deletes a directory tree";
  f.start = 0;
  f.end = 12;
  r.assessment.findings = {f};
  r.backend.name = "embedded";
  r.backend.model = "/m.gguf";
  r.backend.device = "CPU (2 threads)";
  r.backend.load_ms = 400;
  r.timings.prefill_ms = 150;
  r.timings.generation_ms = 500;
  r.timings.prompt_tokens = 99;
  r.timings.generated_tokens = 14;
  r.total_ms = 1100;
  return r;
}

TEST(Report, JsonHasEveryDocumentedFieldInItsOrder) {
  const auto j = nlohmann::ordered_json::parse(ReportJson(Sample()));
  const std::vector<std::string> documented = {"request",  "command",      "explanation", "shell",      "risk",
                                               "decision", "safety_level", "findings",    "backend",    "model",
                                               "device",   "timings",      "executed",    "exit_status"};
  std::vector<std::string> keys;  // in order; fields added later come after these
  for (auto it = j.begin(); it != j.end() && keys.size() < documented.size(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, documented);
  EXPECT_EQ(j["command"], "rm -rf build");
  EXPECT_EQ(j["risk"], "high");
  EXPECT_EQ(j["decision"], "confirm");
  EXPECT_EQ(j["safety_level"], "moderate");
  EXPECT_EQ(j["findings"][0]["rule"], "delete.recursive");
  EXPECT_EQ(j["findings"][0]["end"], 12);
  EXPECT_EQ(j["timings"]["load_ms"], 400.0);
  EXPECT_EQ(j["timings"]["generated_tokens"], 14);
  EXPECT_EQ(j["executed"], false);
  EXPECT_TRUE(j["exit_status"].is_null());
}

TEST(Report, AnExecutedCommandCarriesItsExitStatus) {
  Report r = Sample();
  r.executed = true;
  r.exit_status = 3;
  const auto j = nlohmann::json::parse(ReportJson(r));
  EXPECT_EQ(j["executed"], true);
  EXPECT_EQ(j["exit_status"], 3);
  EXPECT_NE(ReportYaml(r).find("exit_status: 3"), std::string::npos);
}

TEST(Report, YamlCarriesTheSameFieldsQuoted) {
  const std::string y = ReportYaml(Sample());
  EXPECT_NE(y.find("request: \"delete the build folder\"\n"), std::string::npos) << y;
  EXPECT_NE(y.find("risk: \"high\"\n"), std::string::npos) << y;
  EXPECT_NE(y.find("exit_status: ~\n"), std::string::npos) << y;
  EXPECT_NE(y.find("rule: \"delete.recursive\""), std::string::npos) << y;
  EXPECT_EQ(y.back(), '\n');
  EXPECT_LT(y.find("request:"), y.find("exit_status:"));
}

TEST(Report, InvalidUtf8IsReplacedNotThrown) {
  Report r = Sample();
  r.command = "echo \xff";
  EXPECT_EQ(nlohmann::json::parse(ReportJson(r))["command"], "echo \xEF\xBF\xBD");
  EXPECT_NE(ReportYaml(r).find("command:"), std::string::npos);
}

TEST(Report, TheProductIsTheCommandOrTheWholeObject) {
  Report r = Sample();
  EXPECT_EQ(ProductText(r, Output::kText, false), "rm -rf build\n");
  EXPECT_EQ(nlohmann::json::parse(ProductText(r, Output::kJson, false))["command"], "rm -rf build");
  EXPECT_EQ(ProductText(r, Output::kYaml, false), ReportYaml(r));
  // Byte for byte to a pipe (for eval); shown visibly on a terminal.
  r.command = "echo hi\033[2K";
  EXPECT_EQ(ProductText(r, Output::kText, false), "echo hi\033[2K\n");
  EXPECT_EQ(ProductText(r, Output::kText, true).find('\033'), std::string::npos);
}

TEST(Report, TimingLinesNameTheEngineAndEachPhase) {
  Report r = Sample();
  r.timings.cached_tokens = 80;
  r.timings.restore_ms = 5;
  const std::string lines = TimingLines(r, "embedded, model /m.gguf");
  EXPECT_EQ(lines.rfind("cmdai: embedded, model /m.gguf\ncmdai: load 400 ms", 0), 0u) << lines;
  EXPECT_NE(lines.find("prompt 99 tokens: 80 restored in 5.0 ms, 19 prefilled in 145 ms"), std::string::npos) << lines;
  EXPECT_NE(lines.find("generation 14 tokens in 500 ms (28.0 tok/s)"), std::string::npos) << lines;
  EXPECT_NE(lines.find("total 1100 ms\n"), std::string::npos) << lines;
}

TEST(Report, LoadIsSplitIntoItsPhasesAndTimeToCommandIsItsOwnLine) {
  Report r = Sample();
  r.backend.backends_ms = 210;
  r.backend.model_ms = 150;
  r.backend.metadata_ms = 60;
  r.backend.backends_wait_ms = 20;
  r.backend.context_ms = 40;
  EXPECT_EQ(TimingLines(r, "x").find("time to command"), std::string::npos);  // never reached a command
  r.command_ms = 640;
  r.explanation_ms = 1090;
  const std::string lines = TimingLines(r, "x");
  EXPECT_NE(lines.find("load 400 ms (metadata 60 alongside backends 210, then waited 20, weights 70, context 40)"),
            std::string::npos)
      << lines;
  EXPECT_NE(lines.find("cmdai: time to command 640 ms, to explanation 1090 ms\n"), std::string::npos) << lines;
  // On a GPU, -v says when the device context was there (the weights wait for it).
  EXPECT_EQ(lines.find("device ready"), std::string::npos) << lines;
  r.backend.device_ready_ms = 181.6;
  EXPECT_NE(TimingLines(r, "x").find("weights 70, context 40; device ready at 182) | prompt"), std::string::npos)
      << TimingLines(r, "x");
  // Tokens the grammar forced are counted, and said, but took no model step.
  EXPECT_NE(lines.find("generation 14 tokens in 500 ms (28.0 tok/s)"), std::string::npos) << lines;
  r.timings.forced_tokens = 1;
  EXPECT_NE(TimingLines(r, "x").find("generation 14 tokens (1 forced) in 500 ms (26.0 tok/s)"), std::string::npos)
      << TimingLines(r, "x");
  const auto j = nlohmann::json::parse(ReportJson(r));
  EXPECT_EQ(j["timings"]["command_ms"], 640);
  EXPECT_EQ(j["timings"]["explanation_ms"], 1090);
}

TEST(Report, GroundingFindingsAndTheReviseRoundAreInTheObject) {
  Report r = Sample();
  auto plain = nlohmann::json::parse(ReportJson(r));
  EXPECT_TRUE(plain["grounding"].is_array() && plain["grounding"].empty());
  EXPECT_TRUE(plain["grounding_revision"].is_null());
  EXPECT_TRUE(plain["timings"].contains("grounding_ms"));
  r.grounding = {{ground::FindingKind::kMissing, "fd", "fd", "`fd` is not installed",
                  "install it with: sudo apt install fd-find", 0, 2}};
  r.grounding_revision =
      Report::GroundingRevision{"find . -printf x",
                                {{ground::FindingKind::kOption, "find", "-printf",
                                  "`-printf` is not supported by this `find` (BSD find)", "", 7, 14}},
                                "fd -e log",
                                false,
                                "the revised command does not fit this machine either"};
  r.grounding_stats.ms = 3.5;
  r.grounding_stats.commands = 2;
  const auto j = nlohmann::json::parse(ReportJson(r));
  ASSERT_EQ(j["grounding"].size(), 1u);
  EXPECT_EQ(j["grounding"][0]["kind"], "missing");
  EXPECT_EQ(j["grounding"][0]["item"], "fd");
  EXPECT_EQ(j["grounding"][0]["hint"], "install it with: sudo apt install fd-find");
  EXPECT_EQ(j["grounding"][0]["end"], 2);
  EXPECT_EQ(j["grounding_revision"]["first_command"], "find . -printf x");
  EXPECT_EQ(j["grounding_revision"]["first_findings"][0]["item"], "-printf");
  EXPECT_EQ(j["grounding_revision"]["used"], "first");
  EXPECT_EQ(j["timings"]["grounding_ms"], 3.5);
  EXPECT_NE(ReportYaml(r).find("kind: \"missing\""), std::string::npos);
  const std::string lines = TimingLines(r, "scripted");
  EXPECT_NE(lines.find("cmdai: grounding 3.5 ms (2 commands"), std::string::npos) << lines;
  EXPECT_NE(lines.find("cmdai: revise round: "), std::string::npos) << lines;
  EXPECT_NE(lines.find("showing the first answer"), std::string::npos) << lines;
}

}  // namespace
}  // namespace cmdai
