// SPDX-License-Identifier: MIT
#include "context/context.h"

#include <gtest/gtest.h>

#include <thread>

#include "support/subprocess.h"

namespace cmdai {

TEST(Context, ParsesPrettyNameFromOsRelease) {
  EXPECT_EQ(ParseOsRelease("NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"),
            "Debian GNU/Linux 12 (bookworm)");
  EXPECT_EQ(ParseOsRelease("NAME=Alpine\n"), "Alpine");
  EXPECT_EQ(ParseOsRelease("garbage"), "");
}

TEST(Context, DetectsOsArchShellAndCwd) {
  std::string dir = test::TempDir();
  test::WriteFile(dir + "/os-release", "PRETTY_NAME='Test Linux 1'\n");
  Context c = DetectContext("fish", "/some/dir", dir + "/os-release");
  EXPECT_FALSE(c.os.empty());
  EXPECT_FALSE(c.arch.empty());
  EXPECT_EQ(c.shell, "fish");
  EXPECT_EQ(c.cwd, "/some/dir");
#ifndef __APPLE__
  EXPECT_EQ(c.distro, "Test Linux 1");
#endif
}

TEST(Context, MissingOsReleaseLeavesDistroEmpty) {
#ifndef __APPLE__
  EXPECT_EQ(DetectContext("sh", "/", "/nonexistent/os-release").distro, "");
#endif
}

TEST(Context, PhysicalCoresIsPositiveAndAtMostLogical) {
  int n = PhysicalCores();
  EXPECT_GE(n, 1);
  EXPECT_LE(n, static_cast<int>(std::thread::hardware_concurrency()));
}

}  // namespace cmdai
