// SPDX-License-Identifier: MIT
// Subprocess: runs a program as the tests' person or script would, with
// chosen arguments, environment and stdin, and captures what it printed.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cmdai::test {

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
  int interrupt_after_ms = -1;             // send SIGINT this long after start; -1: never
  bool keep_stdin_open = false;            // write stdin_text but never close it
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

}  // namespace cmdai::test
