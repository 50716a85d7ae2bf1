// SPDX-License-Identifier: MIT
// Context: the facts about this machine that change which command is right
// (operating system and distribution, architecture, shell, working directory).
#pragma once

#include <string>

namespace cmdai {

struct Context {
  std::string os;             // "Linux", "Darwin", …
  std::string distro;         // PRETTY_NAME from os-release, e.g. "Debian GNU/Linux 12 (bookworm)"; may be ""
  std::string arch;           // "x86_64", "arm64", …
  std::string shell;          // the target shell: bash|zsh|fish|sh|pwsh
  std::string cwd;            // absolute working directory
  std::string userland;       // "GNU", "BSD" or "BusyBox": whose ls, find, sed… run here; "" unknown
  std::string shell_version;  // the target shell's version, "5.2.15"; "" unknown (and always for sh)
};

/// Gathers the context. `os_release` is the file to read the distribution
/// from (tests pass their own). Never fails: unknown facts stay empty.
/// Cost: one uname() and one small file read.
Context DetectContext(const std::string& shell, const std::string& cwd,
                      const std::string& os_release = "/etc/os-release");

/// Fills `userland` (from the `ls` on `path`: GNU coreutils, BSD/macOS or
/// BusyBox) and `shell_version` (the target shell on `path`, `--version`).
/// Both come from the programs' own output, cached in `cache_dir` ("" for
/// none) per program version (src/ground/cache.h), so they are stable from
/// run to run and the prompt-state cache stays warm. Never fails: what
/// cannot be told stays "". Cost: two small file reads when cached, a few ms
/// of probes the first time.
void DetectTools(Context& c, const std::string& path, const std::string& cache_dir);

/// PRETTY_NAME (or NAME) from os-release text; "" when absent.
std::string ParseOsRelease(const std::string& text);

/// Physical CPU cores (not hyper-threads), from posix::PhysicalCoreCount
/// (/proc/cpuinfo on Linux, sysctl on macOS); falls back to the logical
/// count. At least 1.
int PhysicalCores();

}  // namespace cmdai
