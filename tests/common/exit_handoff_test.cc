// SPDX-License-Identifier: MIT
#include "common/exit_handoff.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

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

// True when `fd` reads end of file (every writer closed) within `ms`.
bool EndOfFile(int fd, int ms) {
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, ms) <= 0) return false;
  char c;
  return read(fd, &c, 1) == 0;
}

// A process like cmdai at its exit: it holds `out` (as stdout to a shell's
// command substitution) and `dev` (as the driver's descriptor), hands off
// `dev` (or nothing), closes its own copies, and exits when told on `go`. The
// test holds the read ends: `dev`'s end reads end of file exactly when no
// process holds it any more, which shows the holder's life from outside.
// `info` brings back the holder's pid and, after the handoff, the address
// and size of a mapping this process made (what a holder sharing its memory
// sees too).
struct Exiting {
  int out[2], dev[2], go[2], info[2];
  pid_t pid = -1;
  // `out_fd`: the number the "stdout" pipe gets in the exiting process (a
  // high one shows that the holder closes whatever the numbers).
  explicit Exiting(std::chrono::milliseconds max_wait, bool keep_device = true, int out_fd = -1) {
    EXPECT_EQ(pipe(out), 0);
    EXPECT_EQ(pipe(dev), 0);
    EXPECT_EQ(pipe(go), 0);
    EXPECT_EQ(pipe(info), 0);
    pid = fork();
    if (pid == 0) {
      close(out[0]);
      close(dev[0]);
      close(go[1]);
      close(info[0]);
      if (out_fd >= 0 && dup2(out[1], out_fd) == out_fd) {
        close(out[1]);
        out[1] = out_fd;
      }
      const pid_t holder = HandOffExit(keep_device ? std::vector<int>{dev[1]} : std::vector<int>{}, max_wait);
      close(out[1]);
      close(dev[1]);
      const size_t size = 7 * static_cast<size_t>(sysconf(_SC_PAGESIZE));
      void* made = mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_ANON, -1, 0);
      const std::uintptr_t sent[3] = {static_cast<std::uintptr_t>(holder), reinterpret_cast<std::uintptr_t>(made),
                                      size};
      (void)!write(info[1], sent, sizeof sent);
      close(info[1]);
      char c;
      (void)!read(go[0], &c, 1);
      if (holder > 0 && max_wait < std::chrono::seconds(1)) waitpid(holder, nullptr, 0);
      _exit(holder > 0 ? 0 : 1);
    }
    close(out[1]);
    close(dev[1]);
    close(go[0]);
    close(info[1]);
  }
  // The holder's pid (-1: none) and the mapping made after the handoff.
  struct Info {
    pid_t holder = -1;
    std::uintptr_t mapped = 0, size = 0;
  };
  Info ReadInfo() const {
    std::uintptr_t got[3] = {};
    Info i;
    if (read(info[0], got, sizeof got) != static_cast<ssize_t>(sizeof got)) return i;
    i.holder = static_cast<pid_t>(static_cast<intptr_t>(got[0]));
    i.mapped = got[1];
    i.size = got[2];
    return i;
  }
  int Finish() {
    close(go[1]);
    int status = 0;
    waitpid(pid, &status, 0);
    close(out[0]);
    close(dev[0]);
    close(info[0]);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
};

TEST(HandOffExit, HolderKeepsOnlyTheDeviceAndEndsAfterItsParent) {
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
  close(p.info[0]);
}

// The highest descriptor number this process may open (its soft limit raised
// to the hard one), at most 20000: above the 4096 a scan by number would stop at.
int HighDescriptor() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return 200;
  if (rl.rlim_max != RLIM_INFINITY && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    getrlimit(RLIMIT_NOFILE, &rl);
  }
  return static_cast<int>(std::min<rlim_t>(rl.rlim_cur == RLIM_INFINITY ? 20001 : rl.rlim_cur, 20001) - 1);
}

TEST(HandOffExit, TheHolderClosesDescriptorsWhateverTheirNumbers) {
  Exiting p(std::chrono::seconds(60), /*keep_device=*/true, HighDescriptor());
  ASSERT_GT(p.pid, 0);
  EXPECT_TRUE(EndOfFile(p.out[0], 30000));  // while its parent still lives
  EXPECT_FALSE(EndOfFile(p.dev[0], 0));
  EXPECT_EQ(p.Finish(), 0);
}

TEST(HandOffExit, HolderGivesUpAfterItsBoundedWait) {
  Exiting p(std::chrono::milliseconds(50));
  ASSERT_GT(p.pid, 0);
  // The parent is still alive (it waits for `go`), yet the holder lets go.
  EXPECT_TRUE(EndOfFile(p.dev[0], 30000));
  EXPECT_EQ(p.Finish(), 0);
}

#if defined(__linux__)
// The lines of the holder's memory map (Linux: its /proc entry).
std::string MapsOf(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/maps");
  std::stringstream text;
  text << f.rdbuf();
  return text.str();
}

// On Linux the holder shares the exiting process's memory, so that process's
// exit leaves the memory's teardown (a 1 GB model mapped, its buffers) to it:
// a mapping made after the handoff is in the holder's map too. It does so
// with nothing to keep open as well, and still closes every descriptor.
TEST(HandOffExit, OnLinuxTheHolderSharesTheMemoryEvenWithNothingToKeep) {
  Exiting p(std::chrono::seconds(60), /*keep_device=*/false);
  ASSERT_GT(p.pid, 0);
  const Exiting::Info info = p.ReadInfo();
  ASSERT_GT(info.holder, 0);
  char range[64];
  std::snprintf(range, sizeof range, "%jx-%jx ", static_cast<uintmax_t>(info.mapped),
                static_cast<uintmax_t>(info.mapped + info.size));
  EXPECT_NE(MapsOf(info.holder).find(range), std::string::npos) << range << " not in\n" << MapsOf(info.holder);
  EXPECT_TRUE(EndOfFile(p.out[0], 30000));
  EXPECT_TRUE(EndOfFile(p.dev[0], 30000));  // not kept
  EXPECT_EQ(p.Finish(), 0);
}
#else
// Elsewhere the holder is a fork that holds only the device's descriptors:
// with none, nothing starts.
TEST(HandOffExit, NothingToKeepStartsNothingWhereMemoryCannotBeShared) {
  Exiting p(std::chrono::seconds(60), /*keep_device=*/false);
  ASSERT_GT(p.pid, 0);
  EXPECT_EQ(p.ReadInfo().holder, -1);
  EXPECT_EQ(p.Finish(), 1);
}
#endif

}  // namespace
}  // namespace cmdai
