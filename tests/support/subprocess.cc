// SPDX-License-Identifier: MIT
#include "support/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
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
#include <thread>

#include "support/die_with_parent.h"

extern char** environ;

namespace cmdai::test {
namespace {

// Forks and runs argv (argv[0] looked up on env's PATH) with exactly `env`,
// stdin, stdout and stderr from the given descriptors (-1: /dev/null), in
// `cwd` ("" for this one). The child dies with the test and closes every
// descriptor in `close_fds`. Returns the pid; throws when fork fails.
pid_t Spawn(std::vector<std::string> argv, const std::map<std::string, std::string>& env, int in, int out, int err,
            const std::string& cwd, const std::vector<int>& close_fds) {
  // Found before fork, as the child would (execvpe is not POSIX). A missing
  // tool still runs execve on the bare name and exits 127, as a shell would.
  const auto path = env.find("PATH");
  if (!argv.empty()) {
    const std::string found = FindTool(argv[0], path == env.end() ? ToolPath() : path->second);
    if (!found.empty()) argv[0] = found;
  }
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp, args;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid > 0) return pid;
  DieWithParent();  // never outlive the test
  const int devnull = open("/dev/null", O_RDWR);
  dup2(in >= 0 ? in : devnull, 0);
  dup2(out >= 0 ? out : devnull, 1);
  dup2(err >= 0 ? err : devnull, 2);
  for (int fd : close_fds) close(fd);
  if (devnull > 2) close(devnull);
  if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(126);
  execve(args[0], args.data(), envp.data());
  _exit(127);
}

}  // namespace

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
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe(in_pipe) || pipe(out_pipe) || pipe(err_pipe)) throw std::runtime_error("pipe failed");
  const pid_t pid = Spawn(argv, env, opt.stdin_text ? in_pipe[0] : -1, out_pipe[1], err_pipe[1], opt.cwd,
                          {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]});
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
  bool interrupted = !opt.interrupt_when;
  while (open_fds > 0) {
    if (!interrupted) {
      int unread = 0;  // the parent keeps the pipe's read end to see what the child has taken
      if (ioctl(in_pipe[0], FIONREAD, &unread) != 0) unread = 0;
      if (opt.interrupt_when(RunProgress{r.out, r.err, static_cast<size_t>(unread)})) {
        kill(pid, SIGINT);
        interrupted = true;
      }
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
  close(in_pipe[0]);
  if (opt.keep_stdin_open) close(in_pipe[1]);
  if (killed)
    r.exit_code = 137;
  else if (WIFEXITED(status))
    r.exit_code = WEXITSTATUS(status);
  else if (WIFSIGNALED(status))
    r.exit_code = 128 + WTERMSIG(status);
  return r;
}

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

bool WaitUntil(const std::function<bool()>& ready, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    if (ready()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

Child::Child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
             const std::string& log_path) {
  std::map<std::string, std::string> full;
  for (char** e = environ; *e; ++e) {
    const std::string kv = *e;
    const size_t eq = kv.find('=');
    if (eq != std::string::npos) full[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (const auto& [k, v] : env) full[k] = v;
  const int log = log_path.empty() ? -1 : open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  pid_ = Spawn(argv, full, -1, log, log, "", {});
  if (log >= 0) close(log);
}

Child::~Child() { Stop(SIGTERM); }

bool Child::Running() {
  if (pid_ <= 0) return false;
  if (waitpid(pid_, nullptr, WNOHANG) == pid_) pid_ = -1;
  return pid_ > 0;
}

bool Child::ExitsWithin(int timeout_ms) {
  return WaitUntil([this] { return !Running(); }, timeout_ms);
}

void Child::Stop(int signal_number) {
  if (!Running()) return;
  kill(pid_, signal_number);
  if (!ExitsWithin(10000)) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
}

}  // namespace cmdai::test
