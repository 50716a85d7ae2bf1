// SPDX-License-Identifier: MIT
#include "support/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>

#include "support/die_with_parent.h"

namespace cmdai::test {

std::string TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "cmdai-test-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  // Tests run programs from several threads at once: the list is shared.
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  static std::vector<std::string> dirs;
  static struct Cleanup {
    ~Cleanup() {
      std::error_code ec;
      for (const auto& d : dirs) std::filesystem::remove_all(d, ec);
    }
  } cleanup;
  dirs.push_back(tmpl);
  return tmpl;
}

std::string ToolPath() {
  const char* path = std::getenv("PATH");
  return path && *path ? path : "/usr/local/bin:/usr/bin:/bin";
}

std::string FindTool(const std::string& name, const std::string& path) {
  if (name.empty() || name.find('/') != std::string::npos) return name;
  size_t start = 0;
  for (;;) {
    const size_t end = path.find(':', start);
    std::string dir = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (dir.empty()) dir = ".";  // an empty entry means the current directory
    const std::string candidate = dir + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0 && !std::filesystem::is_directory(candidate)) return candidate;
    if (end == std::string::npos) return "";
    start = end + 1;
  }
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream f(path, std::ios::binary);
  f << content;
}

RunResult RunProgram(const std::vector<std::string>& argv, const RunOptions& opt) {
  const std::string home = TempDir();
  std::map<std::string, std::string> env = {
      {"PATH", ToolPath()},
      {"HOME", home},
      {"XDG_CONFIG_HOME", home + "/.config"},
      {"XDG_DATA_HOME", home + "/.local/share"},
      {"XDG_CACHE_HOME", home + "/.cache"},
      {"SHELL", "/bin/bash"},
      {"LANG", "C.UTF-8"},
      // No test reaches beyond 127.0.0.1: downloads go nowhere unless a test
      // points them at its own server.
      {"HF_ENDPOINT", "http://127.0.0.1:9"},
      {"CMDAI_DOWNLOAD_RETRIES", "1"},
  };
  for (const auto& [k, v] : opt.env) env[k] = v;
  // Found before fork, as the child would (execvpe is not POSIX). A missing
  // tool still runs execve on the bare name and exits 127, as a shell would.
  std::vector<std::string> argv_copy = argv;
  if (!argv_copy.empty()) {
    const std::string found = FindTool(argv_copy[0], env["PATH"]);
    if (!found.empty()) argv_copy[0] = found;
  }

  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe(in_pipe) || pipe(out_pipe) || pipe(err_pipe)) throw std::runtime_error("pipe failed");
  pid_t pid = fork();
  if (pid == 0) {
    DieWithParent();  // never outlive the test
    if (opt.stdin_text) {
      dup2(in_pipe[0], 0);
    } else {
      int devnull = open("/dev/null", O_RDONLY);
      dup2(devnull, 0);
    }
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) close(fd);
    if (!opt.cwd.empty() && chdir(opt.cwd.c_str()) != 0) _exit(126);
    std::vector<std::string> env_strings;
    for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
    std::vector<char*> envp, args;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    for (auto& s : argv_copy) args.push_back(s.data());
    args.push_back(nullptr);
    execve(args[0], args.data(), envp.data());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (opt.stdin_text) {
    // Small inputs only: written before reading, so keep under the pipe buffer.
    signal(SIGPIPE, SIG_IGN);
    const std::string& s = *opt.stdin_text;
    size_t off = 0;
    while (off < s.size()) {
      ssize_t w = write(in_pipe[1], s.data() + off, s.size() - off);
      if (w <= 0) break;
      off += static_cast<size_t>(w);
    }
  }
  if (!opt.keep_stdin_open) close(in_pipe[1]);

  RunResult r;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(opt.timeout_s);
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_fds = 2;
  bool killed = false;
  const auto started = std::chrono::steady_clock::now();
  bool interrupted = opt.interrupt_after_ms < 0;
  while (open_fds > 0) {
    if (!interrupted &&
        std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(opt.interrupt_after_ms)) {
      kill(pid, SIGINT);
      interrupted = true;
    }
    int left = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count());
    if (left <= 0) {
      kill(pid, SIGKILL);
      killed = true;
      break;
    }
    if (!interrupted) left = std::min(left, 20);
    if (poll(fds, 2, left) <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      char buf[4096];
      ssize_t n = read(fds[i].fd, buf, sizeof(buf));
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      } else {
        (i == 0 ? r.out : r.err).append(buf, static_cast<size_t>(n));
      }
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0) close(f.fd);
  int status = 0;
  waitpid(pid, &status, 0);
  if (opt.keep_stdin_open) close(in_pipe[1]);
  if (killed)
    r.exit_code = 137;
  else if (WIFEXITED(status))
    r.exit_code = WEXITSTATUS(status);
  else if (WIFSIGNALED(status))
    r.exit_code = 128 + WTERMSIG(status);
  return r;
}

}  // namespace cmdai::test
