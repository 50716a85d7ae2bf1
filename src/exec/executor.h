// SPDX-License-Identifier: MIT
// Executor: runs an approved command in the target shell with the person's
// environment and terminal, so interactive programs (top, vim, less, sudo's
// password prompt) work, and Ctrl-C reaches the command rather than cmdai.
#pragma once

#include <string>

#include "common/status.h"
#include "exec/approval.h"

namespace cmdai {

struct ExecOptions {
  bool stdout_to_stderr = false;  // keep cmdai's stdout for its own output (--output json)
};

/// Runs the command with `SHELL -c COMMAND` (pwsh: -NoProfile -Command) and
/// waits. Returns its exit status, or 128+N when signal N ended it. Fails with
/// kNotFound when the shell is not installed, kIo when it cannot be started.
/// While it runs, cmdai ignores SIGINT and SIGQUIT; the command does not.
Result<int> Execute(const ApprovedCommand& command, const ExecOptions& options = {});

/// The program and arguments Execute would run (for tests and --dry-run).
std::vector<std::string> ShellInvocation(const std::string& shell, const std::string& command);

}  // namespace cmdai
