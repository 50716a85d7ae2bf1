// SPDX-License-Identifier: MIT
// RiskClassifier: rates a shell command before anything runs it. It parses
// the command (ShellSyntax), applies every rule, rates shell code the command
// feeds to a shell, applies the person's allow and deny rules, and decides.
//
// Thread-safety: Rate is const and reentrant. Cost: well under a millisecond
// for typical commands (bench/safety_bench.cc); bounded for any input.
#pragma once

#include <string>
#include <vector>

#include "safety/risk.h"
#include "safety/safety_policy.h"
#include "safety/shell_syntax.h"

namespace cmdai::safety {

struct Assessment {
  std::string command;
  Risk risk = Risk::kSafe;  // the highest finding's risk; safe without findings
  Decision decision = Decision::kAllow;
  SafetyLevel level = SafetyLevel::kModerate;
  std::vector<Finding> findings;  // in order of position
};

/// Time one rating may take before it stops with a `parse.timeout` finding.
inline constexpr int kRatingBudgetMs = 700;

class RiskClassifier {
 public:
  explicit RiskClassifier(SafetyPolicy policy = {});

  /// Rates `command` (one line or a multi-line script). Never fails: what
  /// cannot be analysed is at least high risk, with the reason as a finding.
  /// Bounded: one deadline (kRatingBudget) covers the parse, every re-parse
  /// and the rules; a limit hit keeps what was found and forces a decision of
  /// at least confirm (block at strict and moderate).
  Assessment Rate(const std::string& command) const;

  const SafetyPolicy& policy() const { return policy_; }

 private:
  void RateInto(const std::string& text, uint32_t base, bool exact, uint32_t span_start, uint32_t span_end, int depth,
                const ParseLimits& limits, std::vector<Finding>& out) const;
  SafetyPolicy policy_;
  std::optional<posix::BlockDevices> disks_;  // what the system said, or nothing when it cannot tell
};

}  // namespace cmdai::safety
