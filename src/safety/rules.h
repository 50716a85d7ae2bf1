// SPDX-License-Identifier: MIT
// Rules: what each simple command does that could hurt. Every rule reads the
// structure ShellSyntax extracted (never the raw string), and reports
// findings with a rule id, a risk, a plain message and a byte span.
// The catalogue is documented in docs/safety.md.
#pragma once

#include <string>
#include <vector>

#include "common/posix.h"
#include "safety/risk.h"
#include "safety/shell_syntax.h"

namespace cmdai::safety {

/// Text that will run as shell code and deserves its own rating, such as the
/// literal arguments of `echo … | sh`.
struct EmbeddedCode {
  std::string text;
  uint32_t start = 0, end = 0;
};

/// Applies every rule to `script`. Findings go to `out`; shell code fed to a
/// shell at run time goes to `code` for the caller to rate in turn.
/// `disks`: the machine's block devices when known (writes to a whole disk
/// that holds nothing mounted ask; others, or unknown, block).
void ApplyRules(const ParsedScript& script, std::vector<Finding>& out, std::vector<EmbeddedCode>& code,
                const posix::BlockDevices* disks = nullptr);

}  // namespace cmdai::safety
