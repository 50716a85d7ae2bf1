// SPDX-License-Identifier: MIT
#include "prompt/prompt.h"

namespace cmdai {

std::string FenceLanguage(const std::string& shell) {
  if (shell == "pwsh") return "powershell";
  return shell.empty() ? "sh" : shell;
}

std::string AnswerGrammar(bool with_explanation) {
  // One command on one line: it starts with a visible character and runs to
  // the newline that closes the block. Control characters (other than tab)
  // are excluded: a command must not carry terminal escape sequences. A newline is the only way out of
  // `command`, so prose can never be mistaken for the command. Unbounded
  // repetition here costs nothing; length is bounded by max_tokens.
  std::string g = "root ::= command \"\\n```\"" + std::string(with_explanation ? " explanation?" : "") +
                  "\n"
                  "command ::= [^ \\t\\x00-\\x1f\\x7f] [^\\n\\x00-\\x08\\x0b-\\x1f\\x7f]*\n";
  if (with_explanation) g += "explanation ::= \"\\n\" \"\\n\"? [^\\n`] [^\\n]*\n";
  return g;
}

namespace {

// "bash 5.2": the shell with its major and minor version, when known.
std::string ShellWithVersion(const Context& ctx) {
  const std::string& v = ctx.shell_version;
  const auto first = v.find('.');
  const auto second = first == std::string::npos ? std::string::npos : v.find('.', first + 1);
  return v.empty() ? ctx.shell : ctx.shell + " " + v.substr(0, second);
}

}  // namespace

Prompt BuildPrompt(const Context& ctx, const std::string& request, bool with_explanation) {
  const std::string lang = FenceLanguage(ctx.shell);
  // A few tokens say which tools run here: GNU, BSD or BusyBox options
  // differ most (du --max-depth, sed -i '', stat -c, find -printf).
  std::string system = "You turn requests into one " + ShellWithVersion(ctx) + " command for " +
                       (ctx.distro.empty() ? ctx.os : ctx.distro) + " on " + ctx.arch +
                       (ctx.userland.empty() ? "" : " with " + ctx.userland + " tools") +
                       ". Reply with the command alone in a ```" + lang + " block";
  system += with_explanation ? ", then one short sentence saying what it does." : ".";
  system +=
      " Write exactly one command on one line; join steps with pipes or &&. Prefer standard, safe tools and "
      "never delete or overwrite more than asked.";
  Prompt p;
  p.messages.push_back({"system", system});
  // Everything before the request's first word is the same for every
  // request from this directory: its state is kept (reusable_chars).
  const std::string place = "Working directory: " + ctx.cwd + "\nRequest:";
  p.messages.push_back({"user", place + " " + request});
  p.reusable_chars = place.size();
  p.answer_prefix = "```" + lang + "\n";
  p.grammar = AnswerGrammar(with_explanation);
  // `command` cannot hold a newline: the first one ends it, and the grammar
  // then allows only the closing fence.
  p.forced_after = "\n";
  p.forced_rest = "```";
  return p;
}

Prompt BuildRevisionPrompt(const Context& ctx, const std::string& request, const std::string& previous_command,
                           const std::string& feedback, bool with_explanation) {
  Prompt p = BuildPrompt(ctx, request, with_explanation);
  p.messages.push_back({"assistant", p.answer_prefix + previous_command + "\n```"});
  p.messages.push_back({"user", "Change the command: " + feedback + "\nReply the same way, with one command."});
  p.reusable_chars = 0;  // the last message is the feedback: nothing in it is worth keeping
  return p;
}

Prompt BuildFitPrompt(const Context& ctx, const std::string& request, const std::string& previous_command,
                      const std::string& problems, bool with_explanation) {
  Prompt p = BuildPrompt(ctx, request, with_explanation);
  p.messages.back().content += "\nA first answer was: " + previous_command + "\n" + problems +
                               "\nReply the same way, with one command that fits this machine.";
  return p;
}

Prompt BuildExplainPrompt(const Context& ctx, const std::string& command) {
  Prompt p;
  p.messages.push_back({"system", "You explain " + ctx.shell + " commands for " +
                                      (ctx.distro.empty() ? ctx.os : ctx.distro) +
                                      ". Explain the command part by part: one short line per part (program, "
                                      "option, argument, pipe or redirection), as a list starting with '- '. Then one "
                                      "line on what the whole does. No code blocks."});
  p.messages.push_back({"user", "Command: " + command});
  return p;
}

}  // namespace cmdai
