// SPDX-License-Identifier: MIT
// See device_handoff.h. The holder is a fork of a process whose other
// threads (a GPU runtime's) may hold locks, so between fork and _exit it
// calls only async-signal-safe functions: sigaction, close, poll,
// clock_gettime, getppid, nanosleep.
#include "common/device_handoff.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "common/posix.h"

namespace cmdai {
namespace {

constexpr int kMaxScanned = 4096;

int ScanLimit() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return kMaxScanned;
  return static_cast<int>(std::min<rlim_t>(rl.rlim_cur, kMaxScanned));
}

int HighestOpen() {
  for (int fd = ScanLimit() - 1; fd >= 0; --fd)
    if (fcntl(fd, F_GETFD) != -1) return fd;
  return -1;
}

long long NowMs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<long long>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

// The holder's whole life. `wake` is the read end of a pipe whose write end
// only the parent holds: it reads end of file when the parent's descriptors
// close, which is during its exit.
[[noreturn]] void Hold(const int* keep, size_t kept, int wake, int highest, pid_t parent, long long max_ms) {
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  // cmdai's handlers (Ctrl-C sets a flag) mean nothing here: a signal ends it.
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE}) sigaction(s, &dfl, nullptr);
  for (int fd = 0; fd <= highest; ++fd) {
    if (fd == wake) continue;
    bool keep_it = false;
    for (size_t i = 0; i < kept && !keep_it; ++i) keep_it = keep[i] == fd;
    if (!keep_it) close(fd);
  }
  const long long deadline = NowMs() + max_ms;
  pollfd p{wake, POLLIN, 0};
  for (long long left = max_ms; left > 0; left = deadline - NowMs()) {
    const int r = poll(&p, 1, static_cast<int>(std::min<long long>(left, 1 << 30)));
    if (r != 0 && !(r < 0 && errno == EINTR)) break;  // end of file, or poll failed
  }
  // The parent closes its descriptors in its exit in number order, so the
  // device's may still be open there: wait until it is gone (re-parented).
  while (getppid() == parent && NowMs() < deadline) {
    timespec ms{0, 1000000};
    nanosleep(&ms, nullptr);
  }
  _exit(0);
}

}  // namespace

std::vector<int> DeviceDescriptors() {
  std::vector<int> out;
  struct stat null_st {};
  const bool have_null = stat("/dev/null", &null_st) == 0;
  const int limit = ScanLimit();
  for (int fd = 0; fd < limit; ++fd) {
    struct stat st {};
    if (fstat(fd, &st) != 0 || !S_ISCHR(st.st_mode)) continue;
    if (have_null && st.st_rdev == null_st.st_rdev) continue;
    if (isatty(fd)) continue;
    out.push_back(fd);
  }
  return out;
}

pid_t HandOffDescriptors(const std::vector<int>& keep, std::chrono::milliseconds max_wait) {
  if (keep.empty()) return -1;
  auto wake = posix::CloexecPipe();
  if (!wake.ok()) return -1;
  const int highest = std::max({HighestOpen(), wake->read, wake->write});
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid == 0) Hold(keep.data(), keep.size(), wake->read, highest, parent, max_wait.count());
  close(wake->read);
  if (pid < 0) {
    close(wake->write);
    return -1;
  }
  return pid;  // wake->write stays open until this process ends
}

}  // namespace cmdai
