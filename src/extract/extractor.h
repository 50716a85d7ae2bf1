// SPDX-License-Identifier: MIT
// Extractor: finds the one command in a model's answer, whatever shape the
// model wrote it in — an embedded model's grammar-shaped fenced block, or the
// free text of a remote engine that ignores grammars. Prose never becomes a
// command: a candidate that is not inside a fenced block must parse as shell
// (the safety module's tree-sitter-bash parser, with no parse error), its
// first word must be a command on this machine (`resolves`), and it must not
// read like a sentence.
//
// The shapes, tried in this order; the first that yields a command wins:
//   0. `<think>…</think>` is removed (and a leading `…</think>` whose opening
//      tag was in the prompt); an empty answer is an error.
//   1. fenced block (``` or ~~~): the first whose language is a shell's, a
//      console's or none. Blank and comment-only lines are skipped; in a
//      console/shell-session block (or any block whose lines start with a
//      `$ ` prompt) only prompt lines count, with the `$ `, `% ` or `# `
//      removed; lines ending in `\` are joined. It must leave one line. A
//      block that never closes is an error (the answer was cut off).
//   2. JSON object with a string "cmd" or "command" (bare, or in a json block);
//      "explanation" or "description" becomes the explanation.
//   3. inline code span: the only one; else the only one in a list step;
//      else the only span that passes the checks, after dropping spans that
//      just name the tool of another ("use `du`: `du -sh *`").
//   4. indented code block (4 spaces or a tab, after a blank line or a line
//      ending in ':'): one line.
//   5. a `$ ` prompt line, when there is exactly one.
//   6. a labelled line: "Command: …", "Cmd: …", "Run: …".
//   7. a bare line: the whole answer, or its first line when what follows
//      is prose (which then becomes the explanation).
// Steps 2–7 apply the checks above. A refusal ("I can't help with that")
// or anything else without a command fails with kNoCommand.
//
// Thread-safety: reentrant. Cost: a few tree-sitter parses of short lines.
#pragma once

#include <functional>
#include <string>

#include "common/status.h"

namespace cmdai {

struct Extracted {
  std::string command;      // one line, trimmed
  std::string explanation;  // the first non-empty line after the block; may be ""
  std::string shape;        // which step found it: fenced, json, inline, list, indented, prompt, labelled, bare
};

struct ExtractOptions {
  /// Whether a command name runs on this machine (a builtin, alias, function
  /// or executable on PATH; a name with a '/' is a file to execute, relative
  /// to the working directory). Unset: only fenced blocks are read.
  std::function<bool(const std::string&)> resolves;
  /// The target shell; PowerShell's Verb-Noun names are taken as commands.
  std::string shell = "bash";
};

/// Extracts the command. Fails with kNoCommand when the answer holds none:
/// an unclosed or empty block, a block of more than one line, prose only, or
/// a refusal.
Result<Extracted> ExtractCommand(const std::string& answer, const ExtractOptions& options = {});

/// Whether a non-fenced candidate would be accepted (the checks above), for
/// tests and tools.
bool PlausibleCommand(const std::string& line, const ExtractOptions& options);

}  // namespace cmdai
