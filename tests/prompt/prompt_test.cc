// SPDX-License-Identifier: MIT
#include "prompt/prompt.h"

#include <gtest/gtest.h>

namespace cmdai {
namespace {

Context Ctx(const std::string& shell) {
  return {"Linux", "Debian GNU/Linux 12", "x86_64", shell, "/home/u/src", "", ""};
}

TEST(Prompt, SystemMessageNamesShellOsAndArchButNotTheDirectory) {
  Prompt p = BuildPrompt(Ctx("zsh"), "list files", true);
  ASSERT_EQ(p.messages.size(), 2u);
  EXPECT_EQ(p.messages[0].role, "system");
  EXPECT_NE(p.messages[0].content.find("zsh"), std::string::npos);
  EXPECT_NE(p.messages[0].content.find("Debian GNU/Linux 12"), std::string::npos);
  EXPECT_NE(p.messages[0].content.find("x86_64"), std::string::npos);
  // The directory changes per call; keeping it out of the system message
  // keeps that message's KV state reusable.
  EXPECT_EQ(p.messages[0].content.find("/home/u/src"), std::string::npos);
}

TEST(Prompt, SystemMessageSaysTheUserlandAndShellVersionWhenKnown) {
  Context c = Ctx("zsh");
  c.os = "Darwin";
  c.distro = "macOS";
  c.arch = "arm64";
  c.userland = "BSD";
  c.shell_version = "5.9";
  const std::string s = BuildPrompt(c, "list files", false).messages[0].content;
  EXPECT_NE(s.find("one zsh 5.9 command for macOS on arm64 with BSD tools."), std::string::npos) << s;
  c.shell_version = "5.2.15";
  c.shell = "bash";
  EXPECT_NE(BuildPrompt(c, "x", false).messages[0].content.find("one bash 5.2 command"), std::string::npos);
  // Unknown: nothing is said, and the message is what it was.
  const std::string plain = BuildPrompt(Ctx("bash"), "x", false).messages[0].content;
  EXPECT_NE(plain.find("one bash command for Debian GNU/Linux 12 on x86_64. Reply"), std::string::npos) << plain;
}

TEST(Prompt, TheFitRoundKeepsTheSystemMessageAsItsPrefix) {
  const Prompt first = BuildPrompt(Ctx("bash"), "sizes of log files", true);
  const Prompt fit =
      BuildFitPrompt(Ctx("bash"), "sizes of log files", "find . -printf '%s'",
                     "That command does not fit this machine:\n- `find` here does not accept `-printf`", true);
  // The same system message and one user message: the engine's saved state
  // for the prefix serves the revise round too.
  ASSERT_EQ(fit.messages.size(), 2u);
  EXPECT_EQ(fit.messages[0].content, first.messages[0].content);
  EXPECT_EQ(fit.messages[1].content.rfind(first.messages[1].content, 0), 0u);
  EXPECT_NE(fit.messages[1].content.find("A first answer was: find . -printf '%s'"), std::string::npos);
  EXPECT_NE(fit.messages[1].content.find("does not accept `-printf`"), std::string::npos);
  EXPECT_EQ(fit.answer_prefix, first.answer_prefix);
  EXPECT_EQ(fit.grammar, first.grammar);
}

// The answer grammar's one-line command ends at its first newline, after
// which only the closing fence may come: what the prompt says is forced.
TEST(Prompt, WhatTheGrammarForcesAfterTheCommandIsTheClosingFence) {
  for (const bool explain : {false, true}) {
    const Prompt p = BuildPrompt(Context{"Linux", "Debian", "x86_64", "bash", "/tmp", "", ""}, "list files", explain);
    EXPECT_EQ(p.forced_after, "\n");
    EXPECT_EQ(p.forced_rest, "```");
    EXPECT_NE(p.grammar.find("root ::= command \"\\n```\""), std::string::npos) << p.grammar;
    EXPECT_NE(p.grammar.find("command ::= [^ \\t\\x00-\\x1f\\x7f] [^\\n"), std::string::npos) << p.grammar;
  }
}

TEST(Prompt, UserMessageCarriesDirectoryAndRequest) {
  Prompt p = BuildPrompt(Ctx("bash"), "show disk usage", false);
  EXPECT_EQ(p.messages[1].role, "user");
  EXPECT_NE(p.messages[1].content.find("/home/u/src"), std::string::npos);
  EXPECT_NE(p.messages[1].content.find("show disk usage"), std::string::npos);
}

TEST(Prompt, TheDirectoryLineIsMarkedReusableAndTheRequestIsNot) {
  const Prompt p = BuildPrompt(Ctx("bash"), "show disk usage", false);
  const std::string& user = p.messages.back().content;
  ASSERT_GT(p.reusable_chars, 0u);
  ASSERT_LT(p.reusable_chars, user.size());
  // It ends after the directory and the request's label, before the space
  // that starts the request's first word.
  EXPECT_EQ(user.substr(0, p.reusable_chars).substr(p.reusable_chars - 9), "\nRequest:");
  EXPECT_EQ(user.substr(p.reusable_chars), " show disk usage");
  EXPECT_NE(user.substr(0, p.reusable_chars).find("/home/u/src"), std::string::npos);
  EXPECT_EQ(user.substr(0, p.reusable_chars),
            BuildPrompt(Ctx("bash"), "other words", false).messages.back().content.substr(0, p.reusable_chars));
  // The fit round keeps it (same user message, longer); a revision's last
  // message is the feedback, with nothing to keep.
  EXPECT_EQ(BuildFitPrompt(Ctx("bash"), "show disk usage", "du", "problems", false).reusable_chars, p.reusable_chars);
  EXPECT_EQ(BuildRevisionPrompt(Ctx("bash"), "show disk usage", "du", "in MB", false).reusable_chars, 0u);
  EXPECT_EQ(BuildExplainPrompt(Ctx("bash"), "du -sh").reusable_chars, 0u);
}

TEST(Prompt, AnswerStartsWithAFenceInTheShellsLanguage) {
  EXPECT_EQ(BuildPrompt(Ctx("bash"), "x", false).answer_prefix, "```bash\n");
  EXPECT_EQ(BuildPrompt(Ctx("fish"), "x", false).answer_prefix, "```fish\n");
  EXPECT_EQ(BuildPrompt(Ctx("pwsh"), "x", false).answer_prefix, "```powershell\n");
}

TEST(Prompt, ExplanationIsRequestedOnlyWhenWanted) {
  EXPECT_NE(BuildPrompt(Ctx("bash"), "x", true).messages[0].content.find("sentence"), std::string::npos);
  EXPECT_EQ(BuildPrompt(Ctx("bash"), "x", false).messages[0].content.find("sentence"), std::string::npos);
  EXPECT_NE(AnswerGrammar(true).find("explanation"), std::string::npos);
  EXPECT_EQ(AnswerGrammar(false).find("explanation"), std::string::npos);
}

TEST(Prompt, GrammarAllowsNoNewlineInsideTheCommand) {
  const std::string g = AnswerGrammar(false);
  EXPECT_NE(g.find("root ::= command \"\\n```\""), std::string::npos) << g;
  // The command's characters exclude newline and control characters.
  EXPECT_NE(g.find("command ::= [^ \\t\\x00-\\x1f\\x7f] [^\\n\\x00-\\x08\\x0b-\\x1f\\x7f]*"), std::string::npos) << g;
}

}  // namespace
}  // namespace cmdai
