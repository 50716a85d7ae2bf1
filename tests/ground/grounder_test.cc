// SPDX-License-Identifier: MIT
// Grounding against a controlled PATH of real small executables: a BSD-style
// userland, GNU-style tools, a missing tool; and against this machine.
#include "ground/grounder.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/fake_tools.h"
#include "support/subprocess.h"

namespace cmdai::ground {
namespace {

GroundOptions On(const std::string& path, const std::string& shell = "bash") {
  GroundOptions o;
  o.path = path;
  o.shell = shell;
  o.cache_dir = test::TempDir() + "/grounding";
  o.command_not_found = "";
  o.extra_dirs = {};
  return o;
}

std::vector<std::string> Items(const GroundResult& r, FindingKind kind) {
  std::vector<std::string> out;
  for (const auto& f : r.findings)
    if (f.kind == kind) out.push_back(f.item);
  return out;
}

const GroundFinding* Find(const GroundResult& r, const std::string& item) {
  for (const auto& f : r.findings)
    if (f.item == item) return &f;
  return nullptr;
}

TEST(Grounder, GnuOnlyOptionsAgainstBsdTools) {
  Grounder g(On(test::MakeBsdTools()));
  const std::string cmd = "find . -name '*.log' -printf '%s %p\\n'";
  GroundResult r = g.Check(cmd);
  const GroundFinding* f = Find(r, "-printf");
  ASSERT_NE(f, nullptr) << r.findings.size();
  EXPECT_EQ(f->kind, FindingKind::kOption);
  EXPECT_EQ(f->utility, "find");
  EXPECT_EQ(f->message, "`-printf` is not supported by this `find` (BSD find)");
  EXPECT_EQ(cmd.substr(f->start, f->end - f->start), "-printf");
  EXPECT_EQ(r.findings.size(), 1u);

  EXPECT_EQ(Items(g.Check("stat -c %s notes.txt"), FindingKind::kOption), std::vector<std::string>{"-c"});
  EXPECT_EQ(Items(g.Check("du --max-depth=1 -h ."), FindingKind::kOption), std::vector<std::string>{"--max-depth"});
  EXPECT_EQ(Items(g.Check("ls -l | xargs -r rm"), FindingKind::kOption), std::vector<std::string>{"-r"});
  EXPECT_EQ(Items(g.Check("sed -i 's/a/b/' f"), FindingKind::kOption), std::vector<std::string>{"-i"});
  EXPECT_EQ(Items(g.Check("find -name x"), FindingKind::kOption), std::vector<std::string>{"find"});
  EXPECT_EQ(Items(g.Check("ls dir -la"), FindingKind::kOption), std::vector<std::string>{"-la"});
}

TEST(Grounder, WhatBsdToolsAcceptPasses) {
  Grounder g(On(test::MakeBsdTools()));
  for (const char* cmd : {"find . -name '*.log' -mtime +7 -print0 | xargs -0 ls -l", "stat -f '%z %N' *.txt",
                          "du -d 1 -h .", "sed -i '' 's/a/b/' f", "sed -E -n '/x/p' f", "ls -laG --color=auto",
                          "find . -newermt 2024-01-01 -maxdepth 1 -exec ls -l {} +", "find -L . -type f -iname x",
                          "du -sh * | sort -h"}) {
    GroundResult r = g.Check(cmd);
    EXPECT_TRUE(r.clean()) << cmd << ": " << (r.findings.empty() ? "" : r.findings[0].message);
  }
}

TEST(Grounder, GnuStyleToolsKnowTheirOptions) {
  Grounder g(On(test::MakeGnuTools()));
  EXPECT_TRUE(g.Check("grep -rnP --include='*.cc' 'TODO|FIXME' src").clean());
  EXPECT_TRUE(g.Check("grep -A 3 -e foo f && ls -lah --sort=size").clean());
  EXPECT_EQ(Items(g.Check("grep -Z x f"), FindingKind::kOption), std::vector<std::string>{"-Z"});
  EXPECT_EQ(Items(g.Check("ls --colour-me=yes"), FindingKind::kOption), std::vector<std::string>{"--colour-me"});
  // GNU sed's -i takes its suffix attached: '' would be the script.
  EXPECT_EQ(Items(g.Check("sed -i '' 's/a/b/' f"), FindingKind::kOption), std::vector<std::string>{"-i ''"});
  EXPECT_TRUE(g.Check("sed -i 's/a/b/' f").clean());
  EXPECT_TRUE(g.Check("sed -i.bak -e 's/a/b/' f").clean());
}

TEST(Grounder, MissingUtilities) {
  const std::string bin = test::MakeGnuTools();
  Grounder g(On(bin));
  const std::string cmd = "fd -e log | grep -v tmp";
  GroundResult r = g.Check(cmd);
  ASSERT_EQ(Items(r, FindingKind::kMissing), std::vector<std::string>{"fd"});
  const GroundFinding* f = Find(r, "fd");
  EXPECT_EQ(f->message, "`fd` is not installed");
  EXPECT_EQ(cmd.substr(f->start, f->end - f->start), "fd");
  // Builtins, keywords and what the command defines are not missing.
  EXPECT_TRUE(g.Check("cd /tmp && for f in *; do echo \"$f\"; done; type grep").clean());
  EXPECT_TRUE(g.Check("greet() { echo hi; }; greet").clean());
  EXPECT_TRUE(g.Check("./configure && /opt/tool/bin/run").clean());  // paths are not looked up
  // Wrappers count: sudo and the command it runs.
  EXPECT_EQ(Items(g.Check("sudo grep x /etc/shadow"), FindingKind::kMissing), std::vector<std::string>{"sudo"});
}

TEST(Grounder, WhereAMissingUtilityCanBeHad) {
  const std::string bin = test::MakeGnuTools();
  test::WriteScript(bin, "fdfind", "echo fdfind\n");
  test::WriteScript(bin, "gtimeout", "echo gtimeout\n");
  const std::string sbin = test::TempDir();
  test::WriteScript(sbin, "ifconfig", "echo ifconfig\n");
  const std::string cnf = test::TempDir();
  test::WriteScript(cnf, "command-not-found",
                    "echo \"Command '$2' not found, but can be installed with:\" >&2\necho >&2\n"
                    "echo \"sudo apt install $2-tools\" >&2\nexit 127\n");
  GroundOptions o = On(bin);
  o.extra_dirs = {sbin};
  o.command_not_found = cnf + "/command-not-found";
  Grounder g(o);
  EXPECT_EQ(Find(g.Check("fd -e log"), "fd")->hint, "it is installed here as `fdfind`");
  EXPECT_EQ(Find(g.Check("timeout 5 sleep 1"), "timeout")->hint, "it is installed here as `gtimeout`");
  EXPECT_EQ(Find(g.Check("ifconfig -a"), "ifconfig")->hint,
            "it is installed at " + sbin + "/ifconfig, which is not on PATH");
  EXPECT_EQ(Find(g.Check("jq .name f.json"), "jq")->hint, "install it with: sudo apt install jq-tools");
}

TEST(Grounder, TargetShellSyntax) {
  Grounder sh(On(test::MakeGnuTools(), "sh"));
  GroundResult r = sh.Check("grep -n x <(ls)");
  ASSERT_EQ(Items(r, FindingKind::kSyntax), std::vector<std::string>{"<("});
  EXPECT_EQ(r.findings[0].utility, "sh");
  Grounder fish(On(test::MakeGnuTools(), "fish"));
  EXPECT_FALSE(fish.Check("for f in *; do echo $f; done").clean());
  Grounder pwsh(On(test::MakeGnuTools(), "pwsh"));
  EXPECT_TRUE(pwsh.Check("Get-ChildItem -Recurse | fd").clean());  // not a bash command: not checked
}

TEST(Grounder, HelpRunsOncePerProgramVersionAcrossProcesses) {
  const std::string bin = test::MakeBsdTools();
  GroundOptions o = On(bin);
  {
    Grounder g(o);
    GroundResult r = g.Check("find . -printf x && stat -c %s f");
    EXPECT_GE(r.stats.probes_run, 3);  // find --help, man find, stat --help
  }
  Grounder g(o);
  GroundResult warm = g.Check("find . -printf x && stat -c %s f");
  EXPECT_EQ(warm.stats.probes_run, 0);
  EXPECT_GE(warm.stats.probes_cached, 3);
  EXPECT_EQ(warm.findings.size(), 2u);
}

TEST(Grounder, NeverRunsWhatTheCommandNamesOrCreates) {
  const std::string bin = test::TempDir(), marker = test::TempDir() + "/ran";
  // A checked utility whose --help leaves a mark: run only when resolved by
  // bare name on PATH and not defined by the command itself.
  test::WriteScript(bin, "sort", "echo \"$*\" >> " + marker + "\necho 'usage: sort [-nr]'\n");
  Grounder g(On(bin));
  g.Check("sort() { echo mine; }; sort -z");
  g.Check("./sort -z; /bin/sort -z");
  EXPECT_FALSE(std::ifstream(marker).good());
  g.Check("sort -z x");
  std::ifstream in(marker);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "--help");  // the only thing it was ever asked
}

TEST(Grounder, FeedbackForTheModel) {
  std::vector<GroundFinding> f = {
      {FindingKind::kOption, "find", "-printf", "`-printf` is not supported by this `find` (BSD find)", "", 0, 0},
      {FindingKind::kMissing, "fd", "fd", "`fd` is not installed", "", 0, 0}};
  const std::string text = RevisionFeedback(f, "BSD", "zsh", "5.9");
  EXPECT_NE(text.find("`find` here does not accept `-printf`"), std::string::npos) << text;
  EXPECT_NE(text.find("`fd` is not installed here"), std::string::npos) << text;
  EXPECT_NE(text.find("this is a BSD userland, the shell zsh 5.9"), std::string::npos) << text;
}

// This machine's own tools, where they are GNU's or BusyBox's.
TEST(Grounder, ThisMachine) {
  const std::string path = test::ToolPath();
  Grounder g(On(path));
  const std::string userland = g.Userland();
  if (userland != "GNU") GTEST_SKIP() << "not a GNU userland: " << userland;
  EXPECT_TRUE(g.Check("find . -name '*.log' -printf '%s %p\\n' | sort -rn | head -5").clean());
  EXPECT_TRUE(g.Check("du -h --max-depth=1 . | sort -h && stat -c %s f && ls -la --sort=size").clean());
  EXPECT_TRUE(g.Check("tar -czf out.tgz --exclude=.git . && tar xzf out.tgz && ps aux --sort=-%mem").clean());
  EXPECT_EQ(Items(g.Check("ls --no-such-option"), FindingKind::kOption), std::vector<std::string>{"--no-such-option"});
  EXPECT_EQ(Items(g.Check("find . -frobnicate"), FindingKind::kOption), std::vector<std::string>{"-frobnicate"});
  EXPECT_EQ(DetectUserland(path, ""), "GNU");
}

TEST(Grounder, BusyBoxWhereInstalled) {
  const std::string busybox = test::FindTool("busybox");
  if (busybox.empty()) GTEST_SKIP() << "busybox is not installed";
  const std::string bin = test::TempDir();
  for (const char* u : {"ls", "find", "grep", "du", "sed", "ps", "tar"})
    std::filesystem::create_symlink(busybox, bin + "/" + u);
  Grounder g(On(bin));
  EXPECT_EQ(g.Userland(), "BusyBox");
  EXPECT_EQ(Items(g.Check("find . -printf '%p'"), FindingKind::kOption), std::vector<std::string>{"-printf"});
  EXPECT_EQ(Items(g.Check("grep -P x f"), FindingKind::kOption), std::vector<std::string>{"-P"});
  EXPECT_TRUE(g.Check("tar -xzf a.tgz && ps -ef && sed -i 's/a/b/' f && du -d 1 .").clean());
}

}  // namespace
}  // namespace cmdai::ground
