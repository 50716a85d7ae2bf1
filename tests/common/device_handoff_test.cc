// SPDX-License-Identifier: MIT
#include "common/device_handoff.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

namespace cmdai {
namespace {

bool Has(const std::vector<int>& v, int fd) { return std::find(v.begin(), v.end(), fd) != v.end(); }

TEST(DeviceDescriptors, CharacterDevicesButNotDevNullPipesOrFiles) {
  const int zero = open("/dev/zero", O_RDONLY | O_CLOEXEC);  // a character device, as /dev/nvidia0 is
  const int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
  int p[2];
  ASSERT_GE(zero, 0);
  ASSERT_GE(null, 0);
  ASSERT_EQ(pipe(p), 0);
  const std::vector<int> found = DeviceDescriptors();
  EXPECT_TRUE(Has(found, zero));
  EXPECT_FALSE(Has(found, null));
  EXPECT_FALSE(Has(found, p[0]));
  EXPECT_FALSE(Has(found, p[1]));
  for (int fd : {zero, null, p[0], p[1]}) close(fd);
}

TEST(HandOffDescriptors, NothingToKeepForksNothing) { EXPECT_EQ(HandOffDescriptors({}, std::chrono::seconds(1)), -1); }

// True when `fd` reads end of file (every writer closed) within `ms`.
bool EndOfFile(int fd, int ms) {
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, ms) <= 0) return false;
  char c;
  return read(fd, &c, 1) == 0;
}

// A process like cmdai at its exit: it holds `out` (as stdout to a shell's
// command substitution) and `dev` (as the driver's descriptor), hands off
// `dev`, closes its own copies, and exits when told on `go`. The test holds
// the read ends: `dev`'s end reads end of file exactly when no process holds
// it any more, which shows the holder's life from outside.
struct Exiting {
  int out[2], dev[2], go[2];
  pid_t pid = -1;
  explicit Exiting(std::chrono::milliseconds max_wait) {
    EXPECT_EQ(pipe(out), 0);
    EXPECT_EQ(pipe(dev), 0);
    EXPECT_EQ(pipe(go), 0);
    pid = fork();
    if (pid == 0) {
      close(out[0]);
      close(dev[0]);
      close(go[1]);
      const pid_t holder = HandOffDescriptors({dev[1]}, max_wait);
      close(out[1]);
      close(dev[1]);
      char c;
      (void)!read(go[0], &c, 1);
      if (holder > 0 && max_wait < std::chrono::seconds(1)) waitpid(holder, nullptr, 0);
      _exit(holder > 0 ? 0 : 1);
    }
    close(out[1]);
    close(dev[1]);
    close(go[0]);
  }
  int Finish() {
    close(go[1]);
    int status = 0;
    waitpid(pid, &status, 0);
    close(out[0]);
    close(dev[0]);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
};

TEST(HandOffDescriptors, HolderKeepsOnlyTheDeviceAndEndsAfterItsParent) {
  Exiting p(std::chrono::seconds(60));
  ASSERT_GT(p.pid, 0);
  // The holder closed everything else at once: the "stdout" pipe ends while
  // its parent is still alive...
  EXPECT_TRUE(EndOfFile(p.out[0], 30000));
  // ...and keeps the device's: nobody else holds it, yet it is open.
  EXPECT_FALSE(EndOfFile(p.dev[0], 0));
  // When its parent has exited, the holder ends too (long before 60 s).
  close(p.go[1]);
  p.go[1] = -1;
  int status = 0;
  waitpid(p.pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_TRUE(EndOfFile(p.dev[0], 30000));
  close(p.out[0]);
  close(p.dev[0]);
}

TEST(HandOffDescriptors, HolderGivesUpAfterItsBoundedWait) {
  Exiting p(std::chrono::milliseconds(50));
  ASSERT_GT(p.pid, 0);
  // The parent is still alive (it waits for `go`), yet the holder lets go.
  EXPECT_TRUE(EndOfFile(p.dev[0], 30000));
  EXPECT_EQ(p.Finish(), 0);
}

}  // namespace
}  // namespace cmdai
