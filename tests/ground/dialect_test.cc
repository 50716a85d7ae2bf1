// SPDX-License-Identifier: MIT
// Constructs of one shell that another does not have.
#include "ground/dialect.h"

#include <gtest/gtest.h>

namespace cmdai::ground {
namespace {

std::vector<std::string> Issues(const std::string& command, const std::string& shell, const std::string& version = "") {
  std::vector<std::string> out;
  for (const auto& d : CheckDialect(command, safety::ParseShell(command), shell, version)) out.push_back(d.construct);
  return out;
}

bool Has(const std::vector<std::string>& v, const std::string& what) {
  return std::find(v.begin(), v.end(), what) != v.end();
}

TEST(Dialect, BashTakesBashSyntax) {
  EXPECT_TRUE(Issues("diff <(sort a) <(sort b) && [[ -n ${v,,} ]] && echo ${a[0]} {1..3} $((1+2))", "bash").empty());
  EXPECT_TRUE(Issues("cat <<< \"$x\" &> /dev/null; mapfile -t lines < f", "bash", "5.2.15").empty());
}

TEST(Dialect, ShLacksBashisms) {
  auto v = Issues("diff <(sort a) b; [[ -f x ]] && echo {a,b} &> log; source env.sh", "sh");
  EXPECT_TRUE(Has(v, "process substitution"));
  EXPECT_TRUE(Has(v, "[[ ]] test"));
  EXPECT_TRUE(Has(v, "brace expansion"));
  EXPECT_TRUE(Has(v, "&> redirection"));
  EXPECT_TRUE(Has(v, "source"));
  EXPECT_TRUE(Has(Issues("echo $'a\\tb'", "sh"), "$'…' quoting"));
  EXPECT_TRUE(Has(Issues("echo -e 'a\\tb'", "sh"), "echo -e"));
  EXPECT_TRUE(Has(Issues("[ \"$a\" == b ]", "sh"), "== in [ ]"));
  EXPECT_TRUE(Has(Issues("a=(1 2 3)", "sh"), "array assignment"));
  // POSIX forms pass.
  EXPECT_TRUE(
      Issues("for f in *.txt; do wc -l \"$f\"; done; x=${y:-z}; [ \"$a\" = b ] && echo $((1+2))", "sh").empty());
}

TEST(Dialect, ZshDiffersFromBash) {
  EXPECT_TRUE(Has(Issues("echo ${name,,}", "zsh"), "case conversion"));
  EXPECT_TRUE(Has(Issues("echo ${!ref}", "zsh"), "indirect expansion"));
  EXPECT_TRUE(Has(Issues("read -p 'Name? ' n", "zsh"), "read -p"));
  EXPECT_TRUE(Has(Issues("mapfile -t a < f", "zsh"), "mapfile"));
  EXPECT_TRUE(Has(Issues("[ \"$a\" == b ] && echo y", "zsh"), "== in [ ]"));
  EXPECT_TRUE(Issues("diff <(sort a) <(sort b) && [[ $a == b ]] && echo ${a[1]} **/*.c", "zsh").empty());
}

TEST(Dialect, FishIsItsOwnLanguage) {
  auto v = Issues("for f in *.txt; do echo $f; done", "fish", "3.6.0");
  EXPECT_TRUE(Has(v, "bash-style compound command"));
  EXPECT_TRUE(Has(Issues("x=1", "fish", "3.6.0"), "NAME=value assignment"));
  EXPECT_TRUE(Has(Issues("echo $?", "fish", "3.6.0"), "$? status"));
  EXPECT_TRUE(Has(Issues("cat <(ls)", "fish", "3.6.0"), "process substitution"));
  EXPECT_TRUE(Has(Issues("echo `date`", "fish", "3.6.0"), "backquote substitution"));
  EXPECT_TRUE(Has(Issues("echo ${HOME}", "fish", "3.6.0"), "${…} expansion"));
  EXPECT_TRUE(Has(Issues("echo $((1+2))", "fish", "3.6.0"), "arithmetic expansion"));
  // Version-dependent: && from 3.0, $(…) from 3.4, VAR=x cmd from 3.1.
  EXPECT_TRUE(Issues("make && echo $(date) && LANG=C sort f", "fish", "3.6.0").empty());
  auto old = Issues("make && echo $(date) && LANG=C sort f", "fish", "2.7.1");
  EXPECT_TRUE(Has(old, "&& and ||"));
  EXPECT_TRUE(Has(old, "$(…) substitution"));
  EXPECT_TRUE(Has(old, "NAME=value prefix"));
  EXPECT_TRUE(Has(Issues("echo $(date)", "fish", "3.3.1"), "$(…) substitution"));
  // Fish's own syntax passes.
  EXPECT_TRUE(Issues("for f in *.txt; echo $f; end", "fish", "3.6.0").empty());
  EXPECT_TRUE(Issues("set -x LANG C; and ls (pwd)", "fish", "3.6.0").empty());
}

TEST(Dialect, MacOsBash3LacksBash4) {
  EXPECT_TRUE(Has(Issues("echo ${v^^}", "bash", "3.2.57"), "case conversion"));
  EXPECT_TRUE(Has(Issues("mapfile -t a < f", "bash", "3.2.57"), "mapfile"));
  EXPECT_TRUE(Has(Issues("declare -A m", "bash", "3.2.57"), "associative array"));
  EXPECT_TRUE(Has(Issues("make |& tee log", "bash", "3.2.57"), "|& pipe"));
  EXPECT_TRUE(Issues("echo ${v^^}; mapfile -t a < f", "bash", "5.2").empty());
  EXPECT_TRUE(Issues("echo ${v^^}", "bash", "").empty());  // unknown version: not flagged
}

TEST(Dialect, GlobstarIsOffInBash) {
  EXPECT_TRUE(Has(Issues("ls **/*.go", "bash", "5.2"), "** recursive glob"));
  EXPECT_TRUE(Issues("ls '**/*.go'", "bash", "5.2").empty());
}

TEST(Dialect, QuotedTextIsData) {
  EXPECT_TRUE(Issues("bash -c '[[ -n ${v,,} ]] && cat <(ls)'", "sh").empty());
  EXPECT_TRUE(Issues("echo '<(' \"[[\" 'a=(1)'", "fish", "3.6.0").empty());
  EXPECT_TRUE(Issues("find . -name '*.txt' -exec rm {} \\;", "sh").empty());
}

TEST(Dialect, SpansPointAtTheConstruct) {
  const std::string cmd = "cat <(ls) | wc -l";
  auto v = CheckDialect(cmd, safety::ParseShell(cmd), "sh", "");
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(cmd.substr(v[0].start, v[0].end - v[0].start), "<(");
  EXPECT_NE(v[0].message.find("is not sh syntax"), std::string::npos) << v[0].message;
  EXPECT_FALSE(v[0].hint.empty());
}

TEST(Dialect, GarbageNeverCrashes) {
  for (const char* s : {"$((", "${", "<(", "'", "\"$(", "((((((((", "a=(", "`", "{{{{", "$'\\", "[[ ", "${!", "x=$("})
    for (const char* sh : {"bash", "zsh", "fish", "sh"}) (void)Issues(s, sh, "3.0");
  std::string deep(10000, '(');
  (void)CheckDialect(deep, safety::ParsedScript{}, "sh", "");
}

}  // namespace
}  // namespace cmdai::ground
