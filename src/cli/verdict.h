// SPDX-License-Identifier: MIT
// Verdict: a rating put into words — the finding that sets the risk, the
// one-line reason, the error for a blocked command, and the three-part answer
// the Ctrl-G widget reads (`--output widget`). Commands, rules and messages
// are shown through VisibleText.
#pragma once

#include <string>

#include "common/status.h"
#include "safety/risk_classifier.h"

namespace cmdai {

/// The finding that sets the command's risk (the first of the highest), or
/// nullptr without findings. Points into `a`.
const safety::Finding* WorstFinding(const safety::Assessment& a);

/// "delete.home: deletes your home directory", shown visibly; "" without
/// findings.
std::string Reason(const safety::Assessment& a);

/// The kBlocked error for not `verb` ("printing", "running") `command`.
Status BlockedError(const safety::Assessment& a, const std::string& command, const std::string& verb);

/// `--output widget`, for the Ctrl-G widget of `cmdai init SHELL`, three parts:
///   1. "command" when the line text is the command itself, "comment" when
///      it is a comment that runs nothing;
///   2. a note for the person, one visible line; empty for a safe command;
///   3. the text for the prompt line (may hold newlines), then a newline.
/// A blocked command, or one whose bytes would not show as they are (controls
/// other than tab and newline, bidi or invisible characters, invalid UTF-8),
/// becomes a comment with the command shown visibly, never runnable text.
std::string WidgetAnswer(const safety::Assessment& a, const std::string& command);

/// The first builtin in `command` that changes the shell it runs in (cd,
/// export, source, alias, …), looking at each simple command after ;, &&,
/// ||, | and &; "" when none. Run from cmdai, such a command changes only a
/// child shell that ends with it.
std::string ShellStateBuiltin(const std::string& command);

/// The note for such a command run from the menu: it cannot change the
/// calling shell; the Ctrl-G hotkey or eval "$(cmdai --print …)" can.
std::string CallingShellNote(const std::string& builtin, const std::string& request, const std::string& shell);

}  // namespace cmdai
