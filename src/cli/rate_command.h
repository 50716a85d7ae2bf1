// SPDX-License-Identifier: MIT
// `cmdai rate`: rates a command without any model and prints the risk, the
// decision at the safety level and every finding, as text or JSON.
#pragma once

#include <string>

#include "config/config.h"
#include "safety/risk_classifier.h"

namespace cmdai {

enum class OutputFormat { kText, kJson };

/// The JSON object: {"command","risk","decision","safety_level","findings":[{"rule","risk","message","start","end"}]}.
std::string AssessmentJson(const safety::Assessment& a);

/// Human-readable report; marks each finding's span under the command (up to
/// 160 columns). The command, rules and messages are shown with controls,
/// newlines and invisible characters escaped (common/visible_text.h).
std::string AssessmentText(const safety::Assessment& a, bool color);

/// Exit status for a decision: 0 allow, 6 confirm, 5 block.
int ExitCodeForDecision(safety::Decision d);

}  // namespace cmdai
