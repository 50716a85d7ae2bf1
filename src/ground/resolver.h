// SPDX-License-Identifier: MIT
// Resolver: what a command name means to the target shell on this machine —
// a reserved word, a builtin, a function or alias the person defined (where
// their startup files say so), a function fish ships, or an executable on
// PATH — the way the shell itself would find it, without running anything.
//
// Thread-safety: one thread at a time (results are memoised).
// Cost: a few stat() calls per new name; the startup files are read once.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace cmdai::ground {

enum class NameKind { kMissing, kKeyword, kBuiltin, kFunction, kAlias, kExecutable };

struct Resolution {
  NameKind kind = NameKind::kMissing;
  std::string path;  // for kExecutable: the file on PATH, as found (not resolved through links)
};

/// Whether `name` is a reserved word or builtin of `shell` (bash|zsh|fish|sh).
bool IsShellKeyword(const std::string& shell, const std::string& name);
bool IsShellBuiltin(const std::string& shell, const std::string& name);

class Resolver {
 public:
  /// `path` is the PATH to search; `home` ("" to skip) locates the startup
  /// files whose aliases and functions count (~/.bashrc, ~/.bash_aliases,
  /// ~/.zshrc, ~/.config/fish/config.fish and functions/).
  Resolver(std::string shell, std::string path, std::string home);

  /// A name with a '/' is never resolved here (kMissing): it names a file,
  /// not a command to look up.
  Resolution Resolve(const std::string& name);
  bool Resolves(const std::string& name) { return Resolve(name).kind != NameKind::kMissing; }

  /// The executable `name` on PATH; "" when none.
  std::string FindExecutable(const std::string& name);

  const std::vector<std::string>& Dirs() const { return dirs_; }
  const std::string& shell() const { return shell_; }
  const std::string& path() const { return path_; }
  const std::string& home() const { return home_; }

 private:
  void LoadStartupFiles();

  std::string shell_, path_, home_;
  std::vector<std::string> dirs_;
  std::map<std::string, Resolution> memo_;
  bool startup_loaded_ = false;
  std::set<std::string> defined_;  // aliases and functions from the startup files
  std::vector<std::string> fish_function_dirs_;
};

/// Whether `path` is a regular file this process may execute.
bool IsExecutableFile(const std::string& path);

}  // namespace cmdai::ground
