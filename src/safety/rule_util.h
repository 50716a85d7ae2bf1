// SPDX-License-Identifier: MIT
// Helpers shared by the rule files: reading options and operands the way the
// usual GNU/BSD tools do, and recording findings. The read-only profiles
// split operands off with the same NonOptions.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "safety/path_class.h"
#include "safety/read_only_profiles.h"
#include "safety/risk.h"
#include "safety/rules.h"
#include "safety/shell_syntax.h"

namespace cmdai::safety::detail {

struct RuleInput {
  const ParsedScript& script;
  const SimpleCommand& cmd;
  int index;  // of cmd in script.commands
  std::vector<Finding>& out;
  std::vector<EmbeddedCode>* code;
  const posix::BlockDevices* disks = nullptr;  // null: the system cannot tell
};

inline void Add(RuleInput& in, const std::string& rule, Risk risk, const std::string& message, uint32_t start,
                uint32_t end) {
  in.out.push_back({rule, risk, message, start, end, in.index});
}
inline void Add(RuleInput& in, const std::string& rule, Risk risk, const std::string& message) {
  Add(in, rule, risk, message, in.cmd.start, in.cmd.end);
}

/// True when a short option letter appears in a cluster ("-rf" has r and f)
/// or the long option is present. Stops at "--".
inline bool HasFlag(const SimpleCommand& c, char letter, std::string_view long_name = "") {
  for (const auto& w : c.args) {
    const std::string& a = w.text;
    if (a == "--") break;
    if (!long_name.empty() && (a == long_name || a.rfind(std::string(long_name) + "=", 0) == 0)) return true;
    if (letter && a.size() >= 2 && a[0] == '-' && a[1] != '-' && a.find(letter) != std::string::npos) return true;
  }
  return false;
}

inline bool HasArg(const SimpleCommand& c, std::string_view text) {
  for (const auto& w : c.args)
    if (w.text == text) return true;
  return false;
}

/// The words of `c` that are not options: everything after "--", and before
/// it the words that do not start with "-". An option for which
/// `takes_value(text)` holds swallows the next word. A quoted "-x" counts as
/// an option only with `quoted_dash_is_option`: the read-only profiles read it
/// as the program will (the shell drops the quotes), the rules below keep it
/// an operand so that what it names is still rated.
template <class TakesValue>
std::vector<const Word*> NonOptions(const SimpleCommand& c, bool quoted_dash_is_option, TakesValue takes_value) {
  std::vector<const Word*> out;
  bool only = false;
  for (size_t i = 0; i < c.args.size(); ++i) {
    const Word& w = c.args[i];
    if (!only && w.text == "--") {
      only = true;
      continue;
    }
    if (!only && w.text.size() > 1 && w.text[0] == '-' && (quoted_dash_is_option || !w.quoted)) {
      if (takes_value(w.text)) ++i;
      continue;
    }
    out.push_back(&w);
  }
  return out;
}

/// The rules' operands: `with_value` lists the options that take the next word.
inline std::vector<const Word*> Operands(const SimpleCommand& c, const std::vector<std::string>& with_value = {}) {
  return NonOptions(c, false, [&](const std::string& option) {
    return std::find(with_value.begin(), with_value.end(), option) != with_value.end();
  });
}

/// The first operand (a subcommand like `git push`'s "push"), skipping options
/// that take values.
inline std::string Subcommand(const SimpleCommand& c, const std::vector<std::string>& with_value = {},
                              size_t* index = nullptr) {
  for (size_t i = 0; i < c.args.size(); ++i) {
    const std::string& a = c.args[i].text;
    if (a.size() > 1 && a[0] == '-') {
      for (const auto& o : with_value)
        if (a == o) ++i;
      continue;
    }
    if (index) *index = i;
    return a;
  }
  return "";
}

inline bool Any(const std::string& s, std::initializer_list<const char*> options) {
  for (const char* o : options)
    if (s == o) return true;
  return false;
}

inline PathClass Classify(const SimpleCommand& c, const Word& w) { return ClassifyPath(w.text, w.dynamic, c.cwd); }

inline std::string Lower(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

inline bool IsInterpreter(const std::string& n) {
  static const char* kNames[] = {"sh",        "bash", "zsh",    "dash",    "ksh",    "mksh",    "ash",        "fish",
                                 "csh",       "tcsh", "yash",   "rbash",   "python", "python2", "python3",    "perl",
                                 "ruby",      "node", "nodejs", "php",     "lua",    "pwsh",    "powershell", "tclsh",
                                 "osascript", "bun",  "deno",   "Rscript", "luajit"};
  for (const char* k : kNames)
    if (n == k) return true;
  return n.rfind("python3.", 0) == 0 || n.rfind("python2.", 0) == 0 || n.rfind("perl5", 0) == 0;
}

inline bool IsShellName(const std::string& n) {
  for (const char* k : {"sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "fish", "csh", "tcsh", "yash", "rbash"})
    if (n == k) return true;
  return false;
}

// One rule family per file; each returns after adding its findings.
void FileRules(RuleInput& in);
void DiskRules(RuleInput& in);
void ExecRules(RuleInput& in);
void SystemRules(RuleInput& in);
void ToolRules(RuleInput& in);
void RedirectRules(RuleInput& in);
void CodeRules(RuleInput& in);
/// Assignments that name a file something writes (HISTFILE=, GIT_TRACE=):
/// rated as writing that file. Applies to a bare assignment too.
void VariableWrites(RuleInput& in);

/// printf's and echo -e's backslash escapes decoded (\0NNN is one octal
/// character there; see DecodeBackslashEscapes).
inline std::string DecodeEscapes(const std::string& in) { return DecodeBackslashEscapes(in, /*echo_octal=*/true); }
void ExfiltrationRules(RuleInput& in);
void ForgeRules(RuleInput& in);

/// The command part of crontab lines (after the schedule, and the user for
/// system tables such as /etc/cron.d).
std::string CronCommands(const std::string& table, bool with_user);

/// Python, Node, Ruby, Perl, PHP, Lua, R, …: languages whose code cmdai reads.
bool IsCodeInterpreter(const std::string& name);
/// Rates interpreter `code` that `in.cmd` runs by what it targets; `where`
/// says where the code came from ("given on the command line").
void InterpreterCode(RuleInput& in, const std::string& code, const std::string& where);

}  // namespace cmdai::safety::detail
