// SPDX-License-Identifier: MIT
// ShellSyntax: parses a command with tree-sitter-bash and reduces it to what
// the rules reason about — every simple command that would run, wherever it
// sits (pipelines, lists, subshells, functions, substitutions, here-docs, the
// strings of `sh -c`/`eval`/`su -c`/`ssh host …`, `find -exec`, `xargs`), with
// its name normalised, the wrappers that ran it (sudo, env, nohup, …), the
// directory it would run in, and every redirection.
//
// Quoted text that is only data (`echo "rm -rf /"`) stays an argument.
// Work is bounded: nesting, re-parse depth, input size and parse time all
// have limits, and hitting one yields a finding instead of a crash or a hang.
// Thread-safety: the functions here are reentrant; no shared state.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "safety/risk.h"

namespace cmdai::safety {

/// One shell word after quote removal.
struct Word {
  std::string text;    // value; expansions are kept as written ("$HOME/x", "$(date)")
  uint32_t start = 0;  // span in the rated text
  uint32_t end = 0;
  bool dynamic = false;            // holds an expansion or substitution whose value is unknown here
  bool glob = false;               // holds an unquoted *, ? or [
  bool quoted = false;             // written entirely inside quotes
  std::vector<int> substitutions;  // ids of $(…) / <(…) groups inside this word
  /// When the word's value is known to split into several words (an
  /// unquoted `$cmd` holding "rm -rf /", "${arr[@]}", `$(echo a b)`).
  std::vector<std::string> fields;
  int64_t content_offset = -1;  // where text[0] sits in the rated text, when text is
                                // a verbatim copy of it (no escapes); else -1
};

struct Redirect {
  std::string op;  // ">", ">>", ">|", "&>", "&>>", ">&", "<", "<&", "<>", "<<", "<<<"
  int fd = -1;     // explicit descriptor, or -1
  Word target;     // file, descriptor number, or here-string text
  uint32_t start = 0, end = 0;
};

struct SimpleCommand {
  std::string name;  // normalised: unquoted, unescaped, basename ("/bin/rm" → "rm")
  Word name_word;    // the name as written (after quote removal)
  std::vector<Word> args;
  std::vector<Redirect> redirects;       // its own and those of enclosing statements
  std::vector<std::string> assignments;  // NAME=value prefixes and env settings
  std::vector<std::string>
      wrappers;             // what ran it, outermost first: "sudo", "env", "xargs", "find -exec", "ssh", "sh -c", …
  std::string cwd;          // directory it runs in: "" the person's cwd, an absolute path, "~", or "?" unknown
  std::string stdin_text;   // here-document or here-string content fed to it
  bool privileged = false;  // under sudo, doas, su, pkexec, run0
  bool args_from_stdin = false;  // xargs: more arguments come from its input
  std::string remote_host;       // set when it runs on another host (ssh)
  int pipeline = -1;             // commands of one pipeline share an id
  int pipeline_pos = 0;          // 0 for the first stage
  int group = 0;                 // 0 at top level; else the $(…)/<(…) group it runs in
  int depth = 0;                 // re-parse depth (sh -c inside sh -c …)
  uint32_t start = 0, end = 0;
};

/// A function definition; fork bombs are functions that call themselves more than once.
struct FunctionDef {
  std::string name;
  int self_calls = 0;
  bool backgrounds = false;  // its body puts something in the background
  uint32_t start = 0, end = 0;
};

struct ParsedScript {
  std::vector<SimpleCommand> commands;
  std::vector<FunctionDef> functions;
  /// Redirections of compound statements ({ …; } > f), with the cwd they apply in.
  std::vector<std::pair<Redirect, std::string>> loose_redirects;
  /// Problems that prevent full analysis (parse errors, limits hit).
  std::vector<Finding> findings;
};

struct ParseLimits {
  size_t max_bytes = 1 << 20;   // longer input is not parsed
  int max_nesting = 200;        // syntax nesting walked before giving up
  int max_reparse_depth = 16;   // sh -c inside sh -c …
  int max_parse_ms = 500;       // time budget when `deadline` is not set
  size_t max_commands = 50000;  // simple commands extracted (each costs ~1 KB)
  size_t max_cwd_bytes = 512;   // a longer tracked directory becomes unknown (Normalize is linear in it)
  /// When set, the whole parse (tree-sitter and the walk) stops here; the
  /// classifier sets one deadline for a rating and every re-parse in it.
  std::chrono::steady_clock::time_point deadline{};
};

/// True for a `find` test that narrows which files match (-name, -mtime,
/// -size, …): with one, -delete and -exec {} touch matching files only.
bool IsFindFilter(const std::string& arg);

/// Backslash escapes decoded as bash's $'…' does: \a \b \e \E \f \n \r \t \v,
/// \NNN octal, \xHH, \uHHHH and \UHHHHHHHH (as UTF-8), \cX; others stand for
/// the character. `echo_octal`: \0NNN is one octal character, as in echo -e
/// and printf %b. Cost: linear in `in`.
std::string DecodeBackslashEscapes(const std::string& in, bool echo_octal);

/// Parses `text` as bash and extracts its simple commands. Never fails:
/// anything it cannot analyse becomes a high-risk finding.
/// Cost: linear in the input for ordinary commands; bounded by `limits`.
ParsedScript ParseShell(const std::string& text, const ParseLimits& limits = {});

}  // namespace cmdai::safety

namespace cmdai::safety {

/// What a stretch of a command is, for syntax highlighting.
enum class TokenKind { kCommand, kOption, kString, kVariable, kOperator, kComment, kNumber, kRedirect };

struct Token {
  TokenKind kind;
  uint32_t start, end;
};

/// The highlightable tokens of `text` in order, non-overlapping. Text not
/// covered by a token is plain. Cost: one tree-sitter parse.
std::vector<Token> SyntaxTokens(const std::string& text);

}  // namespace cmdai::safety
