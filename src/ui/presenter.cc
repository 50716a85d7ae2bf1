// SPDX-License-Identifier: MIT
#include "ui/presenter.h"

#include "ui/highlight.h"

namespace cmdai::ui {

std::string Card(const std::string& command, const std::string& explanation, const safety::Assessment& a,
                 const Style& style) {
  // Everything the command, the model or a rule wrote is shown through
  // style.Visible, newlines included, so no text can draw a line of the card.
  std::string out = "\n  " + Highlight(command, style) + "\n";
  if (!explanation.empty()) out += "  " + style.Dim("# " + style.Visible(explanation)) + "\n";
  out += "  " + style.Risk(a.risk, std::string("risk: ") + safety::RiskName(a.risk));
  out += style.Dim(std::string(" · ") + safety::DecisionName(a.decision) + " at safety level " +
                   safety::LevelName(a.level)) +
         "\n";
  for (const auto& f : a.findings)
    if (f.risk != safety::Risk::kSafe || f.rule == "config.allow")
      out += "    " + style.Risk(f.risk, "! ") + style.Visible(f.message) +
             style.Dim("  (" + style.Visible(f.rule) + ")") + "\n";
  if (a.decision == safety::Decision::kBlock)
    out += "  " + style.Risk(safety::Risk::kCritical, "blocked") + " at safety level " + safety::LevelName(a.level) +
           "; to be asked instead, choose a lower level explicitly: --safety permissive\n";
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

}  // namespace cmdai::ui
