// SPDX-License-Identifier: MIT
#include "safety/safety_policy.h"

namespace cmdai::safety {

const char* LevelName(SafetyLevel l) {
  switch (l) {
    case SafetyLevel::kStrict: return "strict";
    case SafetyLevel::kModerate: return "moderate";
    case SafetyLevel::kPermissive: return "permissive";
  }
  return "moderate";
}

std::optional<SafetyLevel> ParseLevel(std::string_view s) {
  for (SafetyLevel l : {SafetyLevel::kStrict, SafetyLevel::kModerate, SafetyLevel::kPermissive})
    if (s == LevelName(l)) return l;
  return std::nullopt;
}

const char* DecisionName(Decision d) {
  switch (d) {
    case Decision::kAllow: return "allow";
    case Decision::kConfirm: return "confirm";
    case Decision::kBlock: return "block";
  }
  return "block";
}

std::optional<Decision> ParseDecision(std::string_view s) {
  for (Decision d : {Decision::kAllow, Decision::kConfirm, Decision::kBlock})
    if (s == DecisionName(d)) return d;
  return std::nullopt;
}

std::array<std::array<Decision, 4>, 3> SafetyPolicy::DefaultTable() {
  using D = Decision;
  return {{
      {D::kAllow, D::kConfirm, D::kBlock, D::kBlock},    // strict
      {D::kAllow, D::kConfirm, D::kConfirm, D::kBlock},  // moderate
      {D::kAllow, D::kAllow, D::kConfirm, D::kConfirm},  // permissive
  }};
}

}  // namespace cmdai::safety
