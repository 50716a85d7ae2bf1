// SPDX-License-Identifier: MIT
// SafetyPolicy: turns a risk into a decision (allow, confirm, block) at the
// person's safety level, and holds their allow and deny rules.
//
// Default table (docs/safety.md):
//
//   risk       strict    moderate   permissive
//   safe       allow     allow      allow
//   moderate   confirm   confirm    allow
//   high       block     confirm    confirm
//   critical   block     block      confirm
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/posix.h"
#include "safety/risk.h"

namespace cmdai::safety {

enum class SafetyLevel { kStrict = 0, kModerate = 1, kPermissive = 2 };
enum class Decision { kAllow = 0, kConfirm = 1, kBlock = 2 };

const char* LevelName(SafetyLevel l);
std::optional<SafetyLevel> ParseLevel(std::string_view s);
const char* DecisionName(Decision d);
std::optional<Decision> ParseDecision(std::string_view s);

struct SafetyPolicy {
  SafetyLevel level = SafetyLevel::kModerate;
  /// table[level][risk]
  std::array<std::array<Decision, 4>, 3> table = DefaultTable();
  /// Patterns over a simple command: a bare name ("docker") matches the
  /// command name; anything else is a glob over "name arg arg…" after quote
  /// removal ("git push --force*").
  std::vector<std::string> allow;
  std::vector<std::string> deny;
  /// The machine's block devices, for rating writes to whole disks. Unset:
  /// the classifier asks the system (posix::ReadBlockDevices) once.
  std::optional<posix::BlockDevices> disks;

  Decision Decide(Risk r) const { return table[static_cast<int>(level)][static_cast<int>(r)]; }
  static std::array<std::array<Decision, 4>, 3> DefaultTable();
};

}  // namespace cmdai::safety
