// SPDX-License-Identifier: MIT
// Dialect: constructs of one shell that another does not have. Models write
// bash; a command for zsh, fish or a POSIX sh (dash, ash) — or for the bash
// 3.2 macOS ships — is checked for what that shell would reject or read
// differently: `${v,,}` in zsh, process substitution in sh, `[[ ]]` and
// `$(…)` in fish before 3.4, `&&` in fish before 3.0, `mapfile` in bash 3.
//
// Quoted text is data and never checked (so `bash -c '[[ … ]]'` passes).
// Never fails: text it cannot follow is simply not flagged.
// Thread-safety: pure functions. Cost: one pass over the text.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "safety/shell_syntax.h"

namespace cmdai::ground {

struct DialectIssue {
  std::string construct;  // short name: "process substitution", "[[ ]]", …
  std::string text;       // the bytes as written, e.g. "<(", "${v,,}"
  std::string message;    // "`<(…)` (process substitution) is not sh syntax"
  std::string hint;       // how the target shell writes it; may be ""
  uint32_t start = 0, end = 0;
};

/// Whether a simple command from safety::ParseShell runs on this machine when
/// the command does: at top level, or under runners that start it at once
/// (sudo, env, xargs, timeout, find -exec, sh -c, $(…), …) — not code stored
/// for later (PROMPT_COMMAND, git's core.pager, crontab, at) nor run on
/// another host (ssh).
bool RunsHereNow(const safety::SimpleCommand& c);

/// RunsHereNow, and in the target shell itself (not inside `bash -c '…'`).
bool RunsInTargetShell(const safety::SimpleCommand& c);

/// A version "5.2.15" as comparable numbers; {0, 0} when unknown.
struct ShellVersion {
  int major = 0, minor = 0;
  bool known() const { return major > 0; }
  bool AtLeast(int ma, int mi) const { return !known() || major > ma || (major == ma && minor >= mi); }
};
ShellVersion ParseShellVersion(const std::string& version);

/// The issues of `command` for `shell` (bash|zsh|fish|sh; anything else:
/// none) at `version` ("" when unknown: version-dependent forms pass).
/// `parsed` is ParseShell(command), for the checks on commands' names and
/// arguments (mapfile, `read -p`, `echo -e`, `[ a == b ]`).
std::vector<DialectIssue> CheckDialect(const std::string& command, const safety::ParsedScript& parsed,
                                       const std::string& shell, const std::string& version);

}  // namespace cmdai::ground
