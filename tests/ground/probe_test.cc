// SPDX-License-Identifier: MIT
// What a probe may do: read nothing, see only PATH and LANG, stop in time,
// and print at most so much.
#include "ground/probe.h"

#include <gtest/gtest.h>

#include <chrono>

#include "ground/cache.h"
#include "support/fake_tools.h"
#include "support/subprocess.h"

namespace cmdai::ground {
namespace {

TEST(Probe, RunsWithOnlyPathAndLangAndNoStdin) {
  const std::string dir = test::TempDir();
  test::WriteScript(dir, "show",
                    "echo \"args=$*\"; echo \"lang=$LANG home=${HOME:-unset} path=$PATH\"; "
                    "if read -r line; then echo got-input; else echo no-input; fi; exit 3\n");
  ProbeLimits l;
  l.path = "/usr/bin:/bin";
  const ProbeResult r = RunProbe(dir + "/show", {"--help"}, l);
  ASSERT_TRUE(r.started);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.output.find("args=--help"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("lang=C home=unset path=/usr/bin:/bin"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("no-input"), std::string::npos) << r.output;
}

TEST(Probe, OnlyAbsolutePaths) {
  EXPECT_FALSE(RunProbe("ls", {"--help"}, {}).started);
  EXPECT_FALSE(RunProbe("./ls", {"--help"}, {}).started);
  EXPECT_FALSE(RunProbe("/nonexistent/cmdai-tool", {"--help"}, {}).started);
}

TEST(Probe, TimeLimitKillsTheWholeGroup) {
  const std::string dir = test::TempDir();
  // A child that would outlive its parent, holding the output pipe open.
  test::WriteScript(dir, "slow", "sleep 30 &\necho started\nsleep 30\n");
  ProbeLimits l;
  l.timeout_ms = 300;
  const auto start = std::chrono::steady_clock::now();
  const ProbeResult r = RunProbe(dir + "/slow", {}, l);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  EXPECT_TRUE(r.timed_out);
  EXPECT_LT(ms, 2000);
  EXPECT_NE(r.output.find("started"), std::string::npos);
}

TEST(Probe, OutputIsCapped) {
  const std::string dir = test::TempDir();
  test::WriteScript(dir, "loud", "while :; do echo 0123456789012345678901234567890123456789; done\n");
  ProbeLimits l;
  l.max_output = 10000;
  const ProbeResult r = RunProbe(dir + "/loud", {}, l);
  EXPECT_TRUE(r.truncated);
  EXPECT_EQ(r.output.size(), 10000u);
}

TEST(ProbeCache, RunsOncePerProgramVersion) {
  const std::string dir = test::TempDir(), cache_dir = test::TempDir() + "/grounding";
  test::WriteScript(dir, "tool", "echo 'usage: tool [-ab]'\n");
  {
    ProbeCache c(cache_dir);
    EXPECT_NE(c.Get(dir + "/tool", {"--help"}, "tool", {}).output.find("usage"), std::string::npos);
    EXPECT_EQ(c.stats().runs, 1);
    c.Get(dir + "/tool", {"--help"}, "tool", {});
    EXPECT_EQ(c.stats().memory_hits, 1);
  }
  {
    ProbeCache c(cache_dir);  // a new process: from the disk
    EXPECT_NE(c.Get(dir + "/tool", {"--help"}, "tool", {}).output.find("usage"), std::string::npos);
    EXPECT_EQ(c.stats().runs, 0);
    EXPECT_EQ(c.stats().disk_hits, 1);
  }
  // A new version (another size): run again.
  test::WriteScript(dir, "tool", "echo 'usage: tool [-abc] [file ...]'\n");
  ProbeCache c(cache_dir);
  EXPECT_NE(c.Get(dir + "/tool", {"--help"}, "tool", {}).output.find("-abc"), std::string::npos);
  EXPECT_EQ(c.stats().runs, 1);
}

}  // namespace
}  // namespace cmdai::ground
