// SPDX-License-Identifier: MIT
// Risk and Finding: the vocabulary of the safety module. A finding is one
// reason a command is risky, tied to the bytes of the command it concerns.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cmdai::safety {

/// Ordered: a command's risk is the highest of its findings'.
enum class Risk { kSafe = 0, kModerate = 1, kHigh = 2, kCritical = 3 };

const char* RiskName(Risk r);  // "safe", "moderate", "high", "critical"
std::optional<Risk> ParseRisk(std::string_view name);

struct Finding {
  std::string rule;  // stable id, e.g. "delete.recursive-root"
  Risk risk = Risk::kSafe;
  std::string message;  // one plain sentence for a person
  uint32_t start = 0;   // byte span in the rated command text, [start, end)
  uint32_t end = 0;
  int command = -1;  // index of the simple command it concerns, or -1 (not serialised)
  /// A size, depth or time limit stopped the analysis: what was not seen may
  /// be worse than what was, so the decision is at least confirm, and block
  /// at strict and moderate (SafetyPolicy::Decide never lowers it).
  bool limit = false;
};

}  // namespace cmdai::safety
