// SPDX-License-Identifier: MIT
#include "ui/presenter.h"

#include <cctype>

#include "ui/highlight.h"

namespace cmdai::ui {

std::string Card(const std::string& command, const std::string& explanation, const safety::Assessment& a,
                 const Style& style) {
  // Everything the command, the model or a rule wrote is shown through
  // style.Visible, newlines included, so no text can draw a line of the card.
  // The explanation comes last, as on the live card, where it streams in
  // after the command and its rating (ui/live_card.h): every card reads the
  // same way, however it was drawn.
  std::string out = "\n  " + Highlight(command, style) + "\n";
  out += "  " + style.Risk(a.risk, std::string("risk: ") + safety::RiskName(a.risk));
  out += style.Dim(std::string(style.Text(" · ", " - ")) + safety::DecisionName(a.decision) + " at safety level " +
                   safety::LevelName(a.level)) +
         "\n";
  for (const auto& f : a.findings)
    if (f.risk != safety::Risk::kSafe || f.rule == "config.allow")
      out += "    " + style.Risk(f.risk, "! ") + style.Visible(f.message) +
             style.Dim("  (" + style.Visible(f.rule) + ")") + "\n";
  if (a.decision == safety::Decision::kBlock)
    out += "  " + style.Risk(safety::Risk::kCritical, "blocked") + " at safety level " + safety::LevelName(a.level) +
           "; to be asked instead, choose a lower level explicitly: --safety permissive\n";
  if (!explanation.empty()) out += "  " + style.Dim("# " + style.Visible(explanation)) + "\n";
  return out;
}

std::string GroundingNotes(const std::vector<ground::GroundFinding>& findings, const Style& style) {
  std::string out;
  for (const auto& f : findings)
    out += "    " + style.Risk(safety::Risk::kModerate, "~ ") + style.Visible(f.message) +
           (f.hint.empty() ? "" : style.Dim(style.Text(" — ", " - ") + style.Visible(f.hint))) +
           style.Dim(std::string("  (grounding: ") + ground::KindName(f.kind) + ")") + "\n";
  return out;
}

bool EnterRuns(const safety::Assessment& a) {
  return a.decision == safety::Decision::kAllow && a.risk == safety::Risk::kSafe;
}

std::string MenuLine(const safety::Assessment& a, const Style& style) {
  const bool can_run = a.decision != safety::Decision::kBlock;
  const bool enter_runs = EnterRuns(a);
  auto item = [&](const std::string& key, const std::string& rest, bool is_default) {
    std::string k = style.Bold("[" + key + "]");
    return k + rest + (is_default ? style.Dim("*") : "") + "  ";
  };
  std::string out = "  ";
  if (can_run) out += item("y", "run", enter_runs);
  out += item("e", "dit", false) + item("r", "evise", false) + item("d", "escribe", false) + item("c", "opy", false) +
         item("n", "o", !enter_runs);
  return out + style.Dim("(Enter: " + std::string(enter_runs ? "run" : "no") + ")") + " ";
}

char MenuChoice(const Key& key, const safety::Assessment& a) {
  switch (key.code) {
    case KeyCode::kEnter: return EnterRuns(a) ? 'y' : 'n';
    case KeyCode::kEscape:
    case KeyCode::kCtrlC:
    case KeyCode::kCtrlD: return 'n';
    case KeyCode::kChar: break;
    default: return 0;
  }
  if (key.text.size() != 1) return 0;
  const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(key.text[0])));
  if (c == '?') return 'd';
  if (c == 'q') return 'n';
  return std::string("yerdcn").find(c) != std::string::npos ? c : 0;
}

std::string Indented(const std::string& text) {
  std::string out = "  ";
  for (char c : text) {
    out += c;
    if (c == '\n') out += "  ";
  }
  return out;
}

}  // namespace cmdai::ui
