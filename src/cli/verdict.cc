// SPDX-License-Identifier: MIT
#include "cli/verdict.h"

#include <array>
#include <string_view>

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

std::string ShellStateBuiltin(const std::string& command) {
  static constexpr std::array<std::string_view, 14> kBuiltins = {"cd",     "pushd", "popd",  "export",  "unset",
                                                                 "source", ".",     "alias", "unalias", "set",
                                                                 "setopt", "shopt", "umask", "ulimit"};
  size_t i = 0;
  while (i < command.size()) {
    while (i < command.size() && (command[i] == ' ' || command[i] == '\t')) ++i;
    size_t end = i;
    while (end < command.size() && command.find_first_of(" \t;&|\n", end) != end) ++end;
    const std::string_view word(command.data() + i, end - i);
    for (std::string_view b : kBuiltins)
      if (word == b) return std::string(b);
    // On to the next simple command (quotes are not parsed: a separator
    // inside quotes at worst adds a note).
    const size_t next = command.find_first_of(";&|\n", end);
    if (next == std::string::npos) break;
    i = command.find_first_not_of(";&|\n", next);
    if (i == std::string::npos) break;
  }
  return "";
}

std::string CallingShellNote(const std::string& builtin, const std::string& request, const std::string& shell) {
  const std::string words = request.find('\'') == std::string::npos ? "'" + request + "'" : "...";
  const std::string eval =
      shell == "fish" ? "eval (cmdai --print " + words + ")" : "eval \"$(cmdai --print " + words + ")\"";
  return "note: " + builtin +
         " runs in a shell that ends with the command; it cannot change the shell you called cmdai from. "
         "To change that shell, use the Ctrl-G hotkey (cmdai init " +
         (shell.empty() ? std::string("bash") : shell) + ") or " + VisibleText(eval);
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
