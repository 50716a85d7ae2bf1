// SPDX-License-Identifier: MIT
#include "ground/probe.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <thread>

#include "common/posix.h"

namespace cmdai::ground {
namespace {

using Clock = std::chrono::steady_clock;

int RemainingMs(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

int DecodeStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

ProbeResult RunProbe(const std::string& program, const std::vector<std::string>& args, const ProbeLimits& limits,
                     const std::string& argv0) {
  ProbeResult r;
  if (program.empty() || program[0] != '/') return r;  // only absolute paths the caller resolved
  auto pipe = posix::CloexecPipe();
  if (!pipe.ok()) return r;

  // Everything the child gets is built before the spawn.
  std::string name = argv0;
  if (name.empty()) name = program.substr(program.rfind('/') + 1);
  std::vector<std::string> argv_store;
  argv_store.push_back(name);
  argv_store.insert(argv_store.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_store) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::string env_path = "PATH=" + limits.path, env_lang = "LANG=C";
  char* envp[] = {env_path.data(), env_lang.data(), nullptr};

  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attr);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipe->write, 1);
  posix_spawn_file_actions_adddup2(&actions, pipe->write, 2);
  // The child's own process group, so the deadline kills what it started too
  // (man runs a formatter and a pager-less pipeline); default signal actions
  // and an empty mask, whatever cmdai set for itself.
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int s : {SIGINT, SIGQUIT, SIGPIPE, SIGTERM, SIGCHLD}) sigaddset(&defaults, s);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, program.c_str(), &actions, &attr, argv.data(), envp);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(pipe->write);
  if (rc != 0) {
    close(pipe->read);
    return r;
  }
  r.started = true;

  const auto deadline = Clock::now() + std::chrono::milliseconds(limits.timeout_ms);
  char buf[16384];
  bool eof = false;
  while (!eof) {
    const int wait_ms = RemainingMs(deadline);
    if (wait_ms == 0) {
      r.timed_out = true;
      break;
    }
    pollfd p = {pipe->read, POLLIN, 0};
    const int n = poll(&p, 1, wait_ms);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) continue;  // the deadline check above ends the loop
    const ssize_t got = read(pipe->read, buf, sizeof(buf));
    if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (got <= 0) {
      eof = true;
      break;
    }
    const size_t room = limits.max_output - r.output.size();
    r.output.append(buf, std::min(room, static_cast<size_t>(got)));
    if (r.output.size() >= limits.max_output) {
      r.truncated = true;
      break;
    }
  }
  close(pipe->read);
  if (!eof) kill(-pid, SIGKILL);  // timed out or talked too much: the whole group goes

  // Reap it: after EOF it is normally gone at once; never wait past the deadline (+ a moment for a kill).
  int status = 0;
  const auto reap_deadline = std::max(deadline, Clock::now()) + std::chrono::milliseconds(200);
  for (;;) {
    const pid_t w = waitpid(pid, &status, WNOHANG);
    if (w == pid) {
      r.exit_code = DecodeStatus(status);
      break;
    }
    if (w < 0 && errno != EINTR) break;
    if (Clock::now() > reap_deadline) {
      r.timed_out = true;
      kill(-pid, SIGKILL);
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      break;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  return r;
}

}  // namespace cmdai::ground
