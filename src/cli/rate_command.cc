// SPDX-License-Identifier: MIT
#include "cli/rate_command.h"

#include <nlohmann/json.hpp>

#include "cli/exit_code.h"

namespace cmdai {

std::string AssessmentJson(const safety::Assessment& a) {
  nlohmann::json j;
  j["command"] = a.command;
  j["risk"] = safety::RiskName(a.risk);
  j["decision"] = safety::DecisionName(a.decision);
  j["safety_level"] = safety::LevelName(a.level);
  j["findings"] = nlohmann::json::array();
  for (const auto& f : a.findings)
    j["findings"].push_back({{"rule", f.rule},
                             {"risk", safety::RiskName(f.risk)},
                             {"message", f.message},
                             {"start", f.start},
                             {"end", f.end}});
  // Commands may hold bytes that are not UTF-8; replace rather than throw.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
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
  const bool one_line = a.command.find('\n') == std::string::npos && a.command.size() <= 160;
  if (a.findings.empty()) return out + "findings: none\n";
  out += "findings:\n";
  for (const auto& f : a.findings) {
    out += "  " + paint(f.risk, safety::RiskName(f.risk)) + "  " + f.rule + ": " + f.message + "\n";
    if (one_line && f.end > f.start && f.end <= a.command.size()) {
      out += "      " + a.command + "\n";
      out += "      " + std::string(f.start, ' ') + std::string(f.end - f.start, '^') + "\n";
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

}  // namespace cmdai
