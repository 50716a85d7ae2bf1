// SPDX-License-Identifier: MIT
#include "exec/executor.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "common/posix.h"

namespace cmdai {
namespace {}  // namespace

std::vector<std::string> ShellInvocation(const std::string& shell, const std::string& command) {
  if (shell == "pwsh") return {"pwsh", "-NoProfile", "-Command", command};
  return {shell.empty() ? "sh" : shell, "-c", command};
}

Result<int> Execute(const ApprovedCommand& command, const ExecOptions& options) {
  const std::vector<std::string> argv = ShellInvocation(command.shell(), command.text());
  // The child reports a failed exec through this close-on-exec pipe, so the
  // parent can say what went wrong in its own words.
  const auto report_pipe = posix::CloexecPipe();
  if (!report_pipe.ok())
    return Status::Error(ErrorCode::kIo, "cannot start the command: " + report_pipe.status().message());
  const int report[2] = {report_pipe->read, report_pipe->write};

  // cmdai steps aside while the command runs: Ctrl-C and Ctrl-\ go to the
  // command (same foreground process group), and cmdai waits for it.
  struct sigaction ignore = {}, old_int = {}, old_quit = {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  sigaction(SIGINT, &ignore, &old_int);
  sigaction(SIGQUIT, &ignore, &old_quit);

  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  if (pid < 0) {
    const int err = errno;
    close(report[0]);
    close(report[1]);
    sigaction(SIGINT, &old_int, nullptr);
    sigaction(SIGQUIT, &old_quit, nullptr);
    return Status::Error(ErrorCode::kIo, std::string("cannot start the command: ") + std::strerror(err));
  }
  if (pid == 0) {
    signal(SIGINT, SIG_DFL);
    signal(SIGQUIT, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    if (options.stdout_to_stderr) dup2(STDERR_FILENO, STDOUT_FILENO);
    std::vector<char*> args;
    std::vector<std::string> copy = argv;
    for (auto& a : copy) args.push_back(a.data());
    args.push_back(nullptr);
    execvp(args[0], args.data());
    const int err = errno;
    (void)!write(report[1], &err, sizeof(err));
    _exit(127);
  }
  close(report[1]);
  int exec_errno = 0;
  ssize_t got;
  while ((got = read(report[0], &exec_errno, sizeof(exec_errno))) < 0 && errno == EINTR) {
  }
  close(report[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGQUIT, &old_quit, nullptr);
  if (got == static_cast<ssize_t>(sizeof(exec_errno)))
    // A shell that is not installed is the --shell (or $SHELL) setting's
    // fault, a usage error (exit 2), not the model's or the engine's.
    return Status::Error(exec_errno == ENOENT ? ErrorCode::kUsage : ErrorCode::kIo,
                         "cannot run the command: the shell '" + argv[0] + "' " +
                             (exec_errno == ENOENT ? "is not installed" : std::strerror(exec_errno)),
                         "install it, or pass --shell with one that is");
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

}  // namespace cmdai
