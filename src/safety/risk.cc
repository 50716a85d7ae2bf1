// SPDX-License-Identifier: MIT
#include "safety/risk.h"

namespace cmdai::safety {

const char* RiskName(Risk r) {
  switch (r) {
    case Risk::kSafe: return "safe";
    case Risk::kModerate: return "moderate";
    case Risk::kHigh: return "high";
    case Risk::kCritical: return "critical";
  }
  return "high";
}

std::optional<Risk> ParseRisk(std::string_view name) {
  for (Risk r : {Risk::kSafe, Risk::kModerate, Risk::kHigh, Risk::kCritical})
    if (name == RiskName(r)) return r;
  return std::nullopt;
}

}  // namespace cmdai::safety
