// SPDX-License-Identifier: MIT
// ReadOnlyProfiles: the table that earns a simple command the rating "safe".
// A command is read-only only when a profile names it *and* every option,
// subcommand and operand it uses is known to only read (docs/safety.md,
// "The trust model"). Anything else gets a finding that names what is not
// known to be read-only, so "cmdai knows this command" never means "safe".
//
// Thread-safety: the functions are reentrant; the table is immutable.
// Cost: one hash lookup and a pass over the arguments.
#pragma once

#include <string>
#include <string_view>

#include "safety/shell_syntax.h"

namespace cmdai::safety {

struct ProfileVerdict {
  bool read_only = false;
  bool known = false;  // a profile or a known effect names the command
  /// When not read-only: what is not, for a person ("the option -o writes a
  /// file", "'tcpdump': effect not known").
  std::string reason;
  uint32_t start = 0, end = 0;  // the word the reason points at, or the command
};

/// Matches `c` (its name resolved, wrappers removed) against the read-only
/// profiles. Does not look at redirections: those are rated on their own.
ProfileVerdict MatchReadOnlyProfile(const SimpleCommand& c);

/// True when the arguments only ask for help or the version (`rm --help`,
/// `git push --help`): such a command prints text and does nothing else.
bool OnlyAsksForHelp(const SimpleCommand& c);

/// True when inline code for `interpreter` ("python3", "node") provably only
/// computes and prints: no imports beyond pure modules, no file, process,
/// network or reflection access. Conservative: false whenever unsure.
bool IsHarmlessInlineCode(std::string_view interpreter, std::string_view code);

}  // namespace cmdai::safety
