// SPDX-License-Identifier: MIT
#include "cli/verdict.h"

#include "common/visible_text.h"

namespace cmdai {

const safety::Finding* WorstFinding(const safety::Assessment& a) {
  const safety::Finding* worst = nullptr;
  for (const auto& f : a.findings)
    if (!worst || f.risk > worst->risk) worst = &f;
  return worst;
}

std::string Reason(const safety::Assessment& a) {
  const safety::Finding* f = WorstFinding(a);
  return f ? VisibleText(f->rule + ": " + f->message) : "";
}

Status BlockedError(const safety::Assessment& a, const std::string& command, const std::string& verb) {
  const std::string reason = Reason(a);
  return Status::Error(ErrorCode::kBlocked,
                       "not " + verb + " a " + std::string(safety::RiskName(a.risk)) +
                           "-risk command: blocked at safety level " + safety::LevelName(a.level) +
                           (reason.empty() ? "" : " (" + reason + ")") + ": " + command,
                       "review it with cmdai rate; to be asked instead, choose a lower level explicitly with --safety");
}

std::string WidgetAnswer(const safety::Assessment& a, const std::string& command) {
  const bool blocked = a.decision == safety::Decision::kBlock;
  const bool hidden = HasInvisible(command, /*keep_newlines=*/true);
  const safety::Finding* worst = WorstFinding(a);
  const std::string message = worst ? VisibleText(worst->message + " (" + worst->rule + ")") : "";
  std::string note;
  if (blocked)
    note = "cmdai: blocked at safety level " + std::string(safety::LevelName(a.level)) + ", " +
           safety::RiskName(a.risk) + " risk: " + message;
  else if (a.risk != safety::Risk::kSafe)
    note = "cmdai: " + std::string(safety::RiskName(a.risk)) + " risk: " + message;
  if (hidden && !blocked)
    note +=
        std::string(note.empty() ? "cmdai: " : "; ") + "not inserted: it holds characters that do not show as they are";
  if (blocked)
    return "comment\n" + note + "\n# blocked (" + (worst ? VisibleText(worst->rule) : std::string("safety level")) +
           "): " + VisibleText(command) + "\n";
  if (hidden) return "comment\n" + note + "\n# not inserted (invisible characters): " + VisibleText(command) + "\n";
  return "command\n" + note + "\n" + command + "\n";
}

}  // namespace cmdai
