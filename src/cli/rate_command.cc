// SPDX-License-Identifier: MIT
#include "cli/rate_command.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string_view>

#include "cli/edge.h"
#include "cli/exit_code.h"
#include "cli/policy_from_config.h"
#include "common/visible_text.h"
#include "ui/style.h"
#include "ui/terminal.h"

namespace cmdai {

std::string AssessmentJson(const safety::Assessment& a) {
  // The same shape as the main `--output json` record: keys in reading order,
  // indented two spaces.
  nlohmann::ordered_json j;
  j["command"] = a.command;
  j["risk"] = safety::RiskName(a.risk);
  j["decision"] = safety::DecisionName(a.decision);
  j["safety_level"] = safety::LevelName(a.level);
  j["findings"] = nlohmann::ordered_json::array();
  for (const auto& f : a.findings)
    j["findings"].push_back(nlohmann::ordered_json{{"rule", f.rule},
                                                   {"risk", safety::RiskName(f.risk)},
                                                   {"message", f.message},
                                                   {"start", f.start},
                                                   {"end", f.end}});
  // Commands may hold bytes that are not UTF-8; replace rather than throw.
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string AssessmentText(const safety::Assessment& a, bool color) {
  auto paint = [&](safety::Risk r, const std::string& s) {
    if (!color) return s;
    const char* code = r == safety::Risk::kCritical   ? "\033[1;31m"
                       : r == safety::Risk::kHigh     ? "\033[31m"
                       : r == safety::Risk::kModerate ? "\033[33m"
                                                      : "\033[32m";
    return std::string(code) + s + "\033[0m";
  };
  std::string out = "risk: " + paint(a.risk, safety::RiskName(a.risk)) + "\n";
  out += "decision: " + std::string(safety::DecisionName(a.decision)) + " (safety level " + safety::LevelName(a.level) +
         ")\n";
  if (a.findings.empty()) return out + "findings: none\n";
  // The command, rules and messages are shown through VisibleText: a command
  // holding cursor movements must not be able to redraw this report. Newlines
  // are escaped too, so the command is one line and the markers line up.
  VisibleOptions shown;
  shown.mark = color;
  const std::string_view command = a.command;
  const std::string command_line = VisibleText(command, shown);
  const bool short_enough = VisibleWidth(command) <= 160;
  out += "findings:\n";
  for (const auto& f : a.findings) {
    out += "  " + paint(f.risk, safety::RiskName(f.risk)) + "  " + VisibleText(f.rule, shown) + ": " +
           VisibleText(f.message, shown) + "\n";
    if (short_enough && f.end > f.start && f.end <= command.size()) {
      out += "      " + command_line + "\n";
      out += "      " + VisibleIndent(command.substr(0, f.start)) +
             std::string(std::max<size_t>(1, VisibleWidth(command.substr(f.start, f.end - f.start))), '^') + "\n";
    }
  }
  return out;
}

int ExitCodeForDecision(safety::Decision d) {
  switch (d) {
    case safety::Decision::kAllow: return kExitOk;
    case safety::Decision::kConfirm: return kExitConfirm;
    case safety::Decision::kBlock: return kExitBlocked;
  }
  return kExitBlocked;
}

int RunRate(const Invocation& inv, const Config& config) {
  const Terminal term = Terminal::Detect();
  auto input = ReadInput(inv.words, term.stdin_tty, "command");
  if (!input.ok()) return Fail(input.status());
  const std::string& command = input.value();
  if (command.find_first_not_of(" \t\r\n") == std::string::npos)
    return Fail(Status::Error(ErrorCode::kUsage, "no command to rate", "cmdai rate -- 'COMMAND', or pipe it in"));
  const safety::RiskClassifier classifier(PolicyFromConfig(config));
  const safety::Assessment a = classifier.Rate(command);
  const std::string out = inv.output == Output::kJson ? AssessmentJson(a) + "\n"
                                                      : AssessmentText(a, ui::ColorOn(config.color, term.stdout_tty));
  std::fwrite(out.data(), 1, out.size(), stdout);
  return ExitCodeForDecision(a.decision);
}

}  // namespace cmdai
