// SPDX-License-Identifier: MIT
// Edge: the CLI's contacts with the outside that every command shares —
// reading the request (or command) from the words or stdin, reporting an
// error as the one line on stderr that picks the exit status, and notes.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "config/config.h"

namespace cmdai {

/// Prints "cmdai: error: MESSAGE; HINT" (or "cmdai: interrupted") on stderr,
/// controls and invisible characters shown as escapes (VisibleText), and
/// returns the exit status for it (cli/exit_code.h).
int Fail(const Status& s);

/// `s` naming where the setting `key` got its value when that was not the
/// default or a flag, for errors about that value (a missing or invalid
/// model file):
/// "…, set by model (from /home/me/.config/cmdai/config.toml:3)", "…, set by
/// CMDAI_MODEL (from the environment)". Other errors come back unchanged.
Status NamingSource(const Status& s, const Config& config, const std::string& key);

/// The exit status once everything is written: `rc`, unless standard output
/// could not take what was written to it (closed, a full disk, a reader gone
/// with SIGPIPE ignored), which is then the error (kIo, exit 1) said on
/// stderr, so a lost command never looks like success. Flushes stdout.
int CheckStdout(int rc);

/// Writes `text` to stderr as it is, at once: the card, the menu and the
/// lines around them, which the caller has already made visible. Note and
/// Fail write through it.
void WriteErr(const std::string& text);

/// Prints "cmdai: NOTE" on stderr, shown visibly (a note may quote a server
/// or a file). The one writer of notes; callers decide whether to note.
void Note(const std::string& note);

/// The words joined by spaces, or, when there are none and stdin is not a
/// terminal, stdin (at most 1 MiB, trailing newlines dropped). `what` names
/// it in messages ("request", "command"). Fails with kUsage when it is over
/// 1 MiB, kInterrupted on Ctrl-C. May return an empty string.
Result<std::string> ReadInput(const std::vector<std::string>& words, bool stdin_tty, const std::string& what);

}  // namespace cmdai
