// SPDX-License-Identifier: MIT
// Presenter: how a proposed command looks on the terminal — the command with
// syntax colours, its one-line explanation, its risk and every finding, and
// the menu of choices with the default marked.
#pragma once

#include <string>

#include <vector>

#include "ground/grounder.h"
#include "safety/risk_classifier.h"
#include "ui/keys.h"
#include "ui/style.h"

namespace cmdai::ui {

/// The card: command, risk, decision and findings, then the explanation
/// (may be ""), each on one line with controls and invisible characters
/// shown as escapes.
std::string Card(const std::string& command, const std::string& explanation, const safety::Assessment& a,
                 const Style& style);

/// The card's grounding lines (docs/grounding.md): one per finding, what
/// does not fit this machine and, when known, where to get it or what to
/// write instead. "" without findings. Shown visibly, like every card line.
std::string GroundingNotes(const std::vector<ground::GroundFinding>& findings, const Style& style);

/// What Enter does in the menu: run only a safe, allowed command.
bool EnterRuns(const safety::Assessment& a);

/// The menu line. Blocked commands get no run choice.
std::string MenuLine(const safety::Assessment& a, const Style& style);

/// The menu choice a key makes: 'y' run, 'e' edit, 'r' revise, 'd' describe
/// ('?' too), 'c' copy, 'n' no (also q, Escape, Ctrl-C, Ctrl-D; Enter is
/// EnterRuns' choice), or 0 for a key that chooses nothing.
char MenuChoice(const Key& key, const safety::Assessment& a);

/// `text` with every line indented by two spaces.
std::string Indented(const std::string& text);

}  // namespace cmdai::ui
