// SPDX-License-Identifier: MIT
// Runners: what a simple command makes run besides itself. The table of
// programs that run their arguments (valgrind, nsenter, parallel, tmux new,
// …), options whose value is a command (git -c core.pager=, ssh -o
// ProxyCommand=, tar --to-command=, rsync -e, …), code stored to run later
// (alias, trap, PROMPT_COMMAND, complete -C) and the variables whose values
// programs run (PAGER, GIT_SSH_COMMAND, LD_PRELOAD, …).
//
// ShellSyntax uses it to re-parse that code and rate it like any command.
// Thread-safety: pure functions over their arguments.
#pragma once

#include <string>
#include <vector>

#include "safety/risk.h"
#include "safety/shell_syntax.h"

namespace cmdai::safety {

struct CodeRef {
  enum class Kind {
    kShellCode,     // `code` is shell code, run locally
    kRemoteCode,    // `code` is shell code, run on another host
    kCommandWords,  // args[first…] are a command and its arguments
  };
  Kind kind = Kind::kShellCode;
  std::string label;  // what runs it, for the wrappers list: "git -c core.pager"
  Word code;          // kShellCode / kRemoteCode
  size_t first = 0;   // kCommandWords
  /// The runner only starts the command (nsenter, valgrind): the outer
  /// command is replaced by the inner one instead of rated beside it.
  bool replaces = false;
  bool privileged = false;  // the inner command runs as root (runuser, chroot, nsenter)
  // The finding for the runner itself; empty rule: none.
  std::string rule;
  Risk risk = Risk::kModerate;
  std::string message;
};

/// Everything `c` runs besides itself. Cost: one pass over the arguments.
std::vector<CodeRef> FindRunners(const SimpleCommand& c);

/// What setting the variable `name` does when its value is code or a
/// library: the finding's rule, risk and message, and whether the value is
/// shell code to rate. Empty rule: an ordinary variable.
struct VariableEffect {
  std::string rule;
  Risk risk = Risk::kSafe;
  std::string message;
  bool value_is_code = false;
};
VariableEffect VariableRuns(const std::string& name, const std::string& value);

/// True for git config keys whose values git runs (core.pager, alias.*, …).
bool GitConfigKeyRuns(const std::string& key);

/// A word holding part of another (`--to-command=CODE`): spans map to the
/// whole word, and to the exact bytes where the text was copied verbatim.
Word SubWord(const Word& w, size_t offset, std::string text);

/// The value of `--name=VALUE`, `-xVALUE` or `--name VALUE` at args[i], for
/// any of `names`; on `--name VALUE` it moves i to the value. False when
/// args[i] is none of them, or is the last word with no value after it.
bool OptionValue(const std::vector<Word>& args, size_t& i, std::initializer_list<std::string_view> names, Word* out);

}  // namespace cmdai::safety
