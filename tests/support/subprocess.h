// SPDX-License-Identifier: MIT
// Subprocess: the tests' one way to start programs — run one to the end as a
// person or script would (chosen arguments, environment and stdin, output
// captured), or keep one in the background (a stand-in server, `cmdai serve`,
// llama-server) — and to wait for readiness instead of sleeping.
#pragma once

#include <sys/types.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cmdai::test {

/// What a running program has done so far, for RunOptions::interrupt_when.
struct RunProgress {
  const std::string& out;  // stdout so far
  const std::string& err;  // stderr so far
  size_t stdin_unread;     // bytes of stdin_text the program has not read yet
};

struct RunResult {
  int exit_code = -1;  // the exit status, or 128+N when killed by signal N
  std::string out;     // stdout
  std::string err;     // stderr
};

struct RunOptions {
  std::optional<std::string> stdin_text;   // nullopt: stdin is /dev/null
  std::map<std::string, std::string> env;  // set on top of a clean base
  std::string cwd;                         // "" for the current one
  int timeout_s = 120;                     // killed after this; exit_code 137
  // SIGINT is sent once this returns true (checked every 20 ms and on output):
  // a readiness condition, never a delay. Empty: never.
  std::function<bool(const RunProgress&)> interrupt_when;
  bool keep_stdin_open = false;  // write stdin_text but never close it
};

/// Runs argv[0] with argv; a bare name ("curl") is looked up on the child's
/// PATH, as a shell would. The environment is a minimal one (PATH from
/// ToolPath(), and HOME, XDG_CONFIG_HOME, XDG_DATA_HOME and XDG_CACHE_HOME
/// inside a fresh temp directory, so a test never touches the real home) plus
/// options.env.
RunResult RunProgram(const std::vector<std::string>& argv, const RunOptions& options = {});

/// The PATH that tests give their children: the test process's own, so tools
/// are found wherever this system keeps them (/usr/bin, /usr/local/bin,
/// Homebrew's /opt/homebrew/bin); "/usr/local/bin:/usr/bin:/bin" when unset.
std::string ToolPath();

/// The absolute path of the executable `name` on `path` (ToolPath() by
/// default); "" when none is there. A name with a '/' is returned as it is.
std::string FindTool(const std::string& name, const std::string& path = ToolPath());

/// A fresh empty directory under the system temp dir, removed at exit.
std::string TempDir();

/// Writes `content` to `path`.
void WriteFile(const std::string& path, const std::string& content);

/// The whole file; "" when it cannot be read.
std::string ReadFile(const std::string& path);

/// Checks `ready` every 20 ms until it holds (true) or `timeout_ms` pass
/// (false). The timeout only bounds a broken test; nothing asserts on time.
bool WaitUntil(const std::function<bool()>& ready, int timeout_ms);

/// A program in the background for the life of the object. It gets the
/// test's environment plus `env`, stdin from /dev/null, stdout and stderr in
/// `log_path` ("" for /dev/null), dies with the test (DieWithParent), and is
/// stopped when the object goes.
class Child {
 public:
  /// argv[0] is looked up on PATH as RunProgram does. Throws std::runtime_error
  /// when fork fails; a missing program exits 127 at once.
  Child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {},
        const std::string& log_path = "");
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  /// False once the program has exited (then it is reaped).
  bool Running();
  /// Waits up to `timeout_ms` for the program to exit by itself.
  bool ExitsWithin(int timeout_ms);
  /// Sends `signal_number`, waits up to 10 s for the exit, then SIGKILLs.
  void Stop(int signal_number);
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

}  // namespace cmdai::test
