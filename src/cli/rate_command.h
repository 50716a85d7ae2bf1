// SPDX-License-Identifier: MIT
// `cmdai rate`: rates a command without any model and prints the risk, the
// decision at the safety level and every finding, as text or JSON.
#pragma once

#include <string>

#include "cli/arguments.h"
#include "config/config.h"
#include "safety/risk_classifier.h"

namespace cmdai {

/// Rates the command in `invocation.words` (or stdin) and prints the report
/// on stdout. Returns ExitCodeForDecision, or 2 without a command.
int RunRate(const Invocation& invocation, const Config& config);

/// The JSON object: {"command","risk","decision","safety_level","findings":[{"rule","risk","message","start","end"}]}.
std::string AssessmentJson(const safety::Assessment& a);

/// Human-readable report; marks each finding's span under the command (up to
/// 160 columns). The command, rules and messages are shown with controls,
/// newlines and invisible characters escaped (common/visible_text.h).
std::string AssessmentText(const safety::Assessment& a, bool color);

/// Exit status for a decision: 0 allow, 6 confirm, 5 block.
int ExitCodeForDecision(safety::Decision d);

}  // namespace cmdai
