// SPDX-License-Identifier: MIT
// The userland and shell version the prompt names: told by the programs
// themselves, and the same from run to run, so the system message — and so
// the prompt-state cache key, which hashes its tokens — stays the same.
#include <gtest/gtest.h>

#include "context/context.h"
#include "prompt/prompt.h"
#include "support/fake_tools.h"
#include "support/subprocess.h"

namespace cmdai {
namespace {

TEST(ContextTools, BsdUserlandAndBash3FromTheProgramsOnPath) {
  const std::string bin = test::MakeBsdTools();
  test::WriteScript(bin, "bash", "echo 'GNU bash, version 3.2.57(1)-release (arm64-apple-darwin23)'\n");
  const std::string cache = test::TempDir() + "/grounding";
  Context c;
  c.shell = "bash";
  c.os = "Darwin";
  c.distro = "macOS";
  c.arch = "arm64";
  DetectTools(c, bin, cache);
  EXPECT_EQ(c.userland, "BSD");
  EXPECT_EQ(c.shell_version, "3.2.57");
  const std::string first = BuildPrompt(c, "list files", false).messages[0].content;
  EXPECT_NE(first.find("one bash 3.2 command for macOS on arm64 with BSD tools."), std::string::npos) << first;
  // A second run (from the cache) says exactly the same.
  Context again = c;
  again.userland.clear();
  again.shell_version.clear();
  DetectTools(again, bin, cache);
  EXPECT_EQ(BuildPrompt(again, "list files", false).messages[0].content, first);
}

TEST(ContextTools, GnuAndFishVersions) {
  const std::string bin = test::MakeGnuTools();
  test::WriteScript(bin, "fish", "echo 'fish, version 3.6.0'\n");
  test::WriteScript(bin, "zsh", "echo 'zsh 5.9 (x86_64-debian-linux-gnu)'\n");
  Context fish;
  fish.shell = "fish";
  DetectTools(fish, bin, "");
  EXPECT_EQ(fish.userland, "GNU");
  EXPECT_EQ(fish.shell_version, "3.6.0");
  Context zsh;
  zsh.shell = "zsh";
  DetectTools(zsh, bin, "");
  EXPECT_EQ(zsh.shell_version, "5.9");
  Context sh;
  sh.shell = "sh";
  DetectTools(sh, bin, "");
  EXPECT_EQ(sh.shell_version, "");  // POSIX shells tell no version
}

TEST(ContextTools, NothingKnownSaysNothing) {
  Context c;
  c.shell = "bash";
  DetectTools(c, test::TempDir(), "");
  EXPECT_EQ(c.userland, "");
  EXPECT_EQ(c.shell_version, "");
}

}  // namespace
}  // namespace cmdai
