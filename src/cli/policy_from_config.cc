// SPDX-License-Identifier: MIT
#include "cli/policy_from_config.h"

namespace cmdai {

safety::SafetyPolicy PolicyFromConfig(const Config& config) {
  safety::SafetyPolicy p;
  p.level = safety::ParseLevel(config.safety_level).value_or(safety::SafetyLevel::kModerate);
  for (const auto& [key, value] : config.safety_table) {
    auto dot = key.find('.');
    auto level = safety::ParseLevel(key.substr(0, dot));
    auto risk = safety::ParseRisk(key.substr(dot + 1));
    auto decision = safety::ParseDecision(value);
    if (level && risk && decision) p.table[static_cast<int>(*level)][static_cast<int>(*risk)] = *decision;
  }
  p.allow = config.safety_allow;
  p.deny = config.safety_deny;
  return p;
}

}  // namespace cmdai
