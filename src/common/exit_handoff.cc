// SPDX-License-Identifier: MIT
// See exit_handoff.h. The holder is a copy (fork) or a memory-sharing child
// of a process whose other threads (a GPU runtime's) may hold locks, so it
// calls only async-signal-safe functions: sigaction, close, poll,
// clock_gettime, getppid, nanosleep. Sharing memory, it also runs on the
// caller's thread-local storage, where those calls write only errno, and on
// a stack of its own (holder_stack), since the caller's goes on changing.
#include "common/exit_handoff.h"

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

// The open descriptors, from the system's list (any number), else by
// trying each below ScanLimit.
std::vector<int> OpenDescriptors() {
  if (auto listed = posix::OpenDescriptors()) return std::move(*listed);
  std::vector<int> fds;
  for (int fd = 0; fd < ScanLimit(); ++fd)
    if (fcntl(fd, F_GETFD) != -1) fds.push_back(fd);
  return fds;
}

long long NowMs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<long long>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

// What the holder needs, written before it starts and only read after.
struct HoldArgs {
  const int* close = nullptr;  // every descriptor open but `keep` and `wake`
  size_t closes = 0;
  int wake = -1;
  pid_t parent = 0;
  long long max_ms = 0;
};

// The holder's whole life. `wake` is the read end of a pipe whose write end
// only the parent holds: it reads end of file when the parent's descriptors
// close, which is during its exit.
[[noreturn]] void Hold(const HoldArgs& a) {
  const int wake = a.wake;
  const pid_t parent = a.parent;
  const long long max_ms = a.max_ms;
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  // cmdai's handlers (Ctrl-C sets a flag) mean nothing here: a signal ends it.
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE}) sigaction(s, &dfl, nullptr);
  for (size_t i = 0; i < a.closes; ++i) close(a.close[i]);
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

int HoldSharingMemory(void* args) { Hold(*static_cast<const HoldArgs*>(args)); }

// The memory-sharing holder's stack and arguments: static, since they must
// outlive the call that starts it (one holder per process).
alignas(64) char holder_stack[64 * 1024];
HoldArgs holder_args;
std::vector<int> holder_close;

}  // namespace

std::vector<int> DeviceDescriptors() {
  std::vector<int> out;
  struct stat null_st {};
  const bool have_null = stat("/dev/null", &null_st) == 0;
  for (int fd : OpenDescriptors()) {
    struct stat st {};
    if (fstat(fd, &st) != 0 || !S_ISCHR(st.st_mode)) continue;
    if (have_null && st.st_rdev == null_st.st_rdev) continue;
    if (isatty(fd)) continue;
    out.push_back(fd);
  }
  return out;
}

pid_t HandOffExit(const std::vector<int>& keep, std::chrono::milliseconds max_wait) {
  auto wake = posix::CloexecPipe();
  if (!wake.ok()) return -1;
  holder_close.clear();
  for (int fd : OpenDescriptors())
    if (fd != wake->read && std::find(keep.begin(), keep.end(), fd) == keep.end()) holder_close.push_back(fd);
  holder_args = {holder_close.data(), holder_close.size(), wake->read, getpid(), max_wait.count()};
  pid_t pid = posix::StartSharingMemory(HoldSharingMemory, &holder_args, holder_stack, sizeof holder_stack);
  if (pid < 0 && !keep.empty()) {
    pid = fork();
    if (pid == 0) Hold(holder_args);
  }
  close(wake->read);
  if (pid < 0) {
    close(wake->write);
    return -1;
  }
  return pid;  // wake->write stays open until this process ends
}

}  // namespace cmdai
