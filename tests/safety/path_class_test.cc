// SPDX-License-Identifier: MIT
#include "safety/path_class.h"

#include <gtest/gtest.h>

namespace cmdai::safety {
namespace {

PathKind K(const std::string& p, const std::string& cwd = "", bool dyn = false) {
  return ClassifyPath(p, dyn, cwd).kind;
}

TEST(PathClass, RootAndRootGlobs) {
  EXPECT_EQ(K("/"), PathKind::kRoot);
  EXPECT_EQ(K("/*"), PathKind::kRoot);
  EXPECT_EQ(K("//"), PathKind::kRoot);
  EXPECT_EQ(K("/.."), PathKind::kRoot);
  EXPECT_EQ(K("*", "/"), PathKind::kRoot);
}

TEST(PathClass, HomeInEverySpelling) {
  for (const char* h : {"~", "~/", "~/*", "$HOME", "${HOME}/", "/root", "/home/alice"})
    EXPECT_EQ(K(h), PathKind::kHome) << h;
  EXPECT_EQ(K("~/src/project"), PathKind::kOrdinary);
  EXPECT_EQ(K("~/.ssh"), PathKind::kSecret);
  EXPECT_EQ(K("~/.bash_history"), PathKind::kHistory);
}

TEST(PathClass, SystemDirectoriesAndFiles) {
  EXPECT_EQ(K("/etc"), PathKind::kSystemDir);
  EXPECT_EQ(K("/usr/*"), PathKind::kSystemDir);
  EXPECT_EQ(K("/usr/lib"), PathKind::kSystemDir);
  EXPECT_EQ(K("/etc/nginx/nginx.conf"), PathKind::kSystemPath);
  EXPECT_EQ(K("/etc/passwd"), PathKind::kCriticalFile);
  EXPECT_EQ(K("/etc/sudoers.d/x"), PathKind::kCriticalFile);
  EXPECT_EQ(K("/boot/vmlinuz"), PathKind::kCriticalFile);
  EXPECT_EQ(K("/var/log/syslog"), PathKind::kLog);
  EXPECT_EQ(K("/proc/sys/vm/swappiness"), PathKind::kKernel);
}

TEST(PathClass, Devices) {
  EXPECT_EQ(K("/dev/sda"), PathKind::kBlockDevice);
  EXPECT_EQ(K("/dev/nvme0n1p1"), PathKind::kBlockDevice);
  EXPECT_EQ(K("/dev/null"), PathKind::kHarmlessDevice);
  EXPECT_EQ(K("/dev/stderr"), PathKind::kHarmlessDevice);
  EXPECT_EQ(K("/dev/tcp/10.0.0.1/80"), PathKind::kNetworkDevice);
}

TEST(PathClass, RelativePathsAgainstTheKnownDirectory) {
  EXPECT_EQ(K("build"), PathKind::kOrdinary);
  EXPECT_EQ(K("*"), PathKind::kCwdAll);
  EXPECT_EQ(K("."), PathKind::kCwdAll);
  EXPECT_EQ(K(".."), PathKind::kCwdAll);
  EXPECT_EQ(K("nginx", "/etc"), PathKind::kSystemPath);
  EXPECT_EQ(K("*", "~"), PathKind::kHome);
  EXPECT_EQ(K("x", "?"), PathKind::kDynamic);
}

TEST(PathClass, UnknownExpansions) {
  EXPECT_EQ(K("$DIR/*", "", true), PathKind::kDynamicRoot);
  EXPECT_EQ(K("${X}/", "", true), PathKind::kDynamicRoot);
  EXPECT_EQ(K("$DIR", "", true), PathKind::kDynamic);
  EXPECT_EQ(K("/etc/$X", "", true), PathKind::kSystemPath);
  EXPECT_EQ(K("$HOME", "", true), PathKind::kHome);
}

}  // namespace
}  // namespace cmdai::safety
