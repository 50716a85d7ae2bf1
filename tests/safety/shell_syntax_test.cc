// SPDX-License-Identifier: MIT
#include "safety/shell_syntax.h"

#include <gtest/gtest.h>

namespace cmdai::safety {
namespace {

const SimpleCommand* Find(const ParsedScript& p, const std::string& name) {
  for (const auto& c : p.commands)
    if (c.name == name) return &c;
  return nullptr;
}

TEST(ShellSyntax, NormalisesCommandNames) {
  for (const char* text :
       {"\\rm -rf x", "r\"\"m -rf x", "\"rm\" -rf x", "/bin/rm -rf x", "'rm' -rf x", "$'\\x72m' -rf x"}) {
    ParsedScript p = ParseShell(text);
    ASSERT_EQ(p.commands.size(), 1u) << text;
    EXPECT_EQ(p.commands[0].name, "rm") << text;
  }
}

TEST(ShellSyntax, ReachesCommandsInListsPipelinesSubshellsAndGroups) {
  ParsedScript p = ParseShell("a && b || c; (d | e) ; { f; } & g");
  std::string names;
  for (const auto& c : p.commands) names += c.name;
  EXPECT_EQ(names, "abcdefg");
}

TEST(ShellSyntax, ReachesCommandAndProcessSubstitutions) {
  ParsedScript p = ParseShell("echo $(whoami) `hostname` <(date)");
  EXPECT_NE(Find(p, "whoami"), nullptr);
  EXPECT_NE(Find(p, "hostname"), nullptr);
  const SimpleCommand* date = Find(p, "date");
  ASSERT_NE(date, nullptr);
  EXPECT_GT(date->group, 0);
  EXPECT_EQ(Find(p, "echo")->args.size(), 3u);
}

TEST(ShellSyntax, UnwrapsWrappersAndRecordsThem) {
  ParsedScript p = ParseShell("sudo -u root env A=1 nice -n 5 nohup timeout 10 rm x");
  ASSERT_EQ(p.commands.size(), 1u);
  const auto& c = p.commands[0];
  EXPECT_EQ(c.name, "rm");
  EXPECT_TRUE(c.privileged);
  EXPECT_EQ(c.wrappers, (std::vector<std::string>{"sudo", "env", "nice", "nohup", "timeout"}));
  EXPECT_EQ(c.assignments, std::vector<std::string>{"A=1"});
}

TEST(ShellSyntax, ReparsesShDashCAndEvalStringsWithExactSpans) {
  const std::string text = "bash -c 'cd /tmp && rm -rf x'";
  ParsedScript p = ParseShell(text);
  const SimpleCommand* rm = Find(p, "rm");
  ASSERT_NE(rm, nullptr);
  EXPECT_EQ(rm->cwd, "/tmp");
  EXPECT_EQ(rm->depth, 1);
  EXPECT_EQ(text.substr(rm->start, rm->end - rm->start), "rm -rf x");
  EXPECT_NE(Find(ParseShell("eval 'ls; rm y'"), "rm"), nullptr);
  EXPECT_NE(Find(ParseShell("su -c 'rm z' root"), "rm"), nullptr);
  const SimpleCommand* remote = Find(ParseShell("ssh -p 22 host rm -rf /data"), "rm");
  ASSERT_NE(remote, nullptr);
  EXPECT_EQ(remote->remote_host, "host");
}

TEST(ShellSyntax, DynamicCodeIsKeptOpaque) {
  ParsedScript p = ParseShell("sh -c \"$CMD\"");
  ASSERT_EQ(p.commands.size(), 1u);
  EXPECT_EQ(p.commands[0].name, "sh");
  EXPECT_EQ(p.commands[0].wrappers.back(), "sh -c (dynamic)");
}

TEST(ShellSyntax, FindExecAndXargsRunTheirCommands) {
  ParsedScript p = ParseShell("find /var -name '*.log' -exec rm {} \\; ; ls | xargs -0 chmod 600");
  const SimpleCommand* rm = Find(p, "rm");
  ASSERT_NE(rm, nullptr);
  ASSERT_EQ(rm->args.size(), 1u);
  EXPECT_EQ(rm->args[0].text, "/var/{found}");
  const SimpleCommand* chmod = Find(p, "chmod");
  ASSERT_NE(chmod, nullptr);
  EXPECT_TRUE(chmod->args_from_stdin);
}

TEST(ShellSyntax, TracksCdAlongAListButNotOutOfSubshells) {
  ParsedScript p = ParseShell("cd /etc && ls; (cd /tmp); pwd; cd ..; id");
  EXPECT_EQ(Find(p, "ls")->cwd, "/etc");
  EXPECT_EQ(Find(p, "pwd")->cwd, "/etc");
  EXPECT_EQ(Find(p, "id")->cwd, "/");
  EXPECT_EQ(Find(ParseShell("cd \"$X\" && ls"), "ls")->cwd, "?");
}

TEST(ShellSyntax, QuotedTextIsAnArgumentNotACommand) {
  ParsedScript p = ParseShell("echo \"rm -rf /\" > warning.txt");
  ASSERT_EQ(p.commands.size(), 1u);
  EXPECT_EQ(p.commands[0].name, "echo");
  EXPECT_EQ(p.commands[0].args[0].text, "rm -rf /");
  ASSERT_EQ(p.commands[0].redirects.size(), 1u);
  EXPECT_EQ(p.commands[0].redirects[0].target.text, "warning.txt");
}

TEST(ShellSyntax, MarksExpansionsAndGlobs) {
  ParsedScript p = ParseShell("rm \"$DIR\"/* '*' ~/x");
  const auto& a = p.commands[0].args;
  EXPECT_TRUE(a[0].dynamic);
  EXPECT_TRUE(a[0].glob);
  EXPECT_FALSE(a[1].glob);  // quoted
  EXPECT_FALSE(a[2].dynamic);
}

TEST(ShellSyntax, HereDocumentsFeedTheirCommand) {
  ParsedScript p = ParseShell("cat <<EOF > /etc/motd\nhello\nEOF\n");
  const SimpleCommand* cat = Find(p, "cat");
  ASSERT_NE(cat, nullptr);
  EXPECT_EQ(cat->stdin_text, "hello\n");
  bool writes = false;
  for (const auto& r : cat->redirects) writes |= r.target.text == "/etc/motd";
  EXPECT_TRUE(writes);
}

TEST(ShellSyntax, FunctionsCountSelfCalls) {
  ParsedScript p = ParseShell(":(){ :|:& };:");
  ASSERT_EQ(p.functions.size(), 1u);
  EXPECT_EQ(p.functions[0].self_calls, 2);
  EXPECT_TRUE(p.functions[0].backgrounds);
}

TEST(ShellSyntax, SyntaxErrorsBecomeFindings) {
  ParsedScript p = ParseShell("echo $(( ; rm -rf");
  ASSERT_FALSE(p.findings.empty());
  EXPECT_EQ(p.findings[0].rule, "parse.error");
  EXPECT_GE(p.findings[0].risk, Risk::kHigh);
}

TEST(ShellSyntax, OversizedInputIsRefusedWithAFinding) {
  ParseLimits limits;
  limits.max_bytes = 100;
  ParsedScript p = ParseShell(std::string(200, 'a'), limits);
  ASSERT_EQ(p.findings.size(), 1u);
  EXPECT_EQ(p.findings[0].rule, "parse.too-long");
}

}  // namespace
}  // namespace cmdai::safety
