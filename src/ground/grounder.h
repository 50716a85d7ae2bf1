// SPDX-License-Identifier: MIT
// Grounder: checks a proposed command against this machine before anyone
// sees it. For every simple command that would run here (pipelines, lists,
// substitutions, the commands of sudo/xargs/env/timeout…):
//  - the utility exists: a reserved word or builtin of the target shell, an
//    alias or function its startup files define, a function fish ships, a
//    function the command itself defines, or an executable on PATH; a missing
//    one is a finding ("`fd` is not installed"), with where it can be had when
//    the system can tell cheaply (installed off PATH, under another name,
//    Debian/Ubuntu's command-not-found, Homebrew's command-not-found list,
//    Arch's pkgfile);
//  - its options exist in this system's version, for the utilities that
//    differ most between GNU, BSD/macOS and BusyBox (kCheckedUtilities): the
//    accepted options come from the program's own `--help` (the manual page
//    where a BSD tool prints only a synopsis), cached per program version;
//  - the target shell's syntax (dialect.h).
//
// What it runs: only `--help` (ps: `--help all`; mawk: `-W usage`) of the
// checked utilities, `man NAME` for a BSD utility whose synopsis is not
// enough, the target shell's `--version`, and the command-not-found helpers
// named above for a missing utility — each a program resolved on PATH (or a
// fixed system path) by bare name, never a name with a slash, never a name
// the command defines, with stdin /dev/null, only PATH and LANG=C in its
// environment, a time limit and capped output (probe.h). It never runs the
// command, never blocks it, and fails open: whatever it cannot tell is not a
// finding.
//
// Thread-safety: one thread at a time. Cost: a typical command < 1 ms with
// the cache warm; a few ms per new utility (its --help) when cold.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "ground/cache.h"
#include "ground/options.h"
#include "ground/resolver.h"

namespace cmdai::ground {

enum class FindingKind { kMissing, kOption, kSyntax };

/// "missing", "option", "syntax".
const char* KindName(FindingKind k);

struct GroundFinding {
  FindingKind kind = FindingKind::kMissing;
  std::string utility;          // "find"; for syntax, the target shell
  std::string item;             // "-printf", "fd", "<(…)"
  std::string message;          // one sentence: "`-printf` is not supported by this `find` (BSD)"
  std::string hint;             // where to get it, or what to write instead; may be ""
  uint32_t start = 0, end = 0;  // byte span in the command
};

struct GroundOptions {
  std::string shell = "bash";  // the target shell: bash|zsh|fish|sh (pwsh: nothing is checked)
  std::string shell_version;   // "5.2.15"; "" unknown
  std::string path;            // the PATH commands are looked up on
  std::string home;            // for the startup files' aliases; "" to skip
  std::string cache_dir;       // "" keeps help texts in memory only
  int probe_timeout_ms = 800;  // one probe
  int budget_ms = 1500;        // all probes of one Check together; past it, no more are run
  size_t max_output = 512 * 1024;
  /// Debian/Ubuntu's command-not-found handler (tests point it elsewhere; "" skips it).
  std::string command_not_found = "/usr/lib/command-not-found";
  /// Directories searched for a utility that is installed but not on PATH.
  std::vector<std::string> extra_dirs = {"/usr/local/sbin",   "/usr/sbin",          "/sbin",
                                         "/usr/local/bin",    "/usr/bin",           "/bin",
                                         "/opt/homebrew/bin", "/opt/homebrew/sbin", "/home/linuxbrew/.linuxbrew/bin",
                                         "/snap/bin"};
};

struct GroundStats {
  double ms = 0;          // wall time of the Check
  int commands = 0;       // simple commands looked at
  int probes_run = 0;     // --help / man / helpers run (cache misses)
  int probes_cached = 0;  // answered from the cache
};

struct GroundResult {
  std::vector<GroundFinding> findings;
  GroundStats stats;
  bool clean() const { return findings.empty(); }
};

/// The utilities whose options are checked.
const std::set<std::string>& CheckedUtilities();

class Grounder {
 public:
  explicit Grounder(GroundOptions options);

  GroundResult Check(const std::string& command);

  /// Whether `name` would run as a command here (keyword, builtin, alias or
  /// function where knowable, executable on PATH). For extraction.
  bool Resolves(const std::string& name) { return resolver_.Resolves(name); }

  /// The options `utility` (resolved on PATH) accepts, or nullptr when it
  /// is not on PATH or not one of CheckedUtilities(). With `manual`, a BSD
  /// synopsis is completed from the manual page first.
  const OptionSet* OptionsOf(const std::string& utility, bool manual = false);

  /// "GNU", "BSD", "BusyBox" from the `ls` on PATH; "" when unknown.
  std::string Userland();

  const GroundOptions& options() const { return o_; }
  const ProbeStats& probe_stats() const { return cache_.stats(); }

 private:
  struct Known {
    OptionSet set;
    std::string path;
    bool manual_tried = false;
  };
  ProbeLimits Limits() const;
  bool BudgetLeft() const;
  std::string PackageHint(const std::string& name);

  GroundOptions o_;
  Resolver resolver_;
  ProbeCache cache_;
  std::map<std::string, Known> known_;
  std::map<std::string, std::string> hints_;
  double spent_ms_ = 0;  // probe time in the current Check
};

/// The version of `shell` found on `path` ("5.2.15", "3.6.0"), from its
/// `--version` (cached like help texts); "" for sh, pwsh or when unknown.
std::string DetectShellVersion(const std::string& shell, const std::string& path, const std::string& cache_dir);

/// "GNU", "BSD" or "BusyBox": the userland the `ls` on `path` belongs to; "".
std::string DetectUserland(const std::string& path, const std::string& cache_dir);

/// What to tell the model in the automatic revise round: one line per
/// finding, then what the system is ("this is a BSD userland; zsh 5.9").
std::string RevisionFeedback(const std::vector<GroundFinding>& findings, const std::string& userland,
                             const std::string& shell, const std::string& shell_version);

}  // namespace cmdai::ground
