// SPDX-License-Identifier: MIT
// ProbeCache: what a probe printed, kept on disk so that each program's
// `--help` (or manual page, or `--version`) runs once per version of it.
// An entry's key is the program's path as found, its size and modification
// time (so an upgrade, or a symbolic link moved to another program, makes a
// new entry), its arguments and an optional salt; entries are never trusted
// across versions of this format. Files live in one directory
// ($XDG_CACHE_HOME/cmdai/grounding), written atomically (rename), owner-only.
//
// Thread-safety: one thread at a time. Cost: a hit is one stat() and one
// small file read; a miss runs the probe and writes one file.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ground/probe.h"

namespace cmdai::ground {

struct ProbeStats {
  int runs = 0;       // probes run (cache misses)
  int disk_hits = 0;  // answered from a file
  int memory_hits = 0;
  double run_ms = 0;  // time spent running probes
};

class ProbeCache {
 public:
  /// `dir` "" keeps entries in memory only (for this process).
  explicit ProbeCache(std::string dir) : dir_(std::move(dir)) {}

  /// The probe's result, from memory, the disk or a fresh run. A program
  /// that cannot be stat()ed is not run. `salt` joins the key (the manual
  /// page of a utility changes with the utility, not with `man`).
  ProbeResult Get(const std::string& program, const std::vector<std::string>& args, const std::string& argv0,
                  const ProbeLimits& limits, const std::string& salt = "");

  /// "path|size|mtime" of a file, "" when it cannot be stat()ed.
  static std::string Identity(const std::string& path);

  const ProbeStats& stats() const { return stats_; }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  std::map<std::string, ProbeResult> memory_;
  ProbeStats stats_;
};

}  // namespace cmdai::ground
