// SPDX-License-Identifier: MIT
// Probe: runs one small, read-only program (a utility's `--help`, `man NAME`,
// a shell's `--version`) and captures what it prints, under strict limits:
// an absolute path resolved by the caller (never looked up here), stdin from
// /dev/null, an environment of only PATH and LANG=C, its own process group
// (killed as a whole at the deadline), and output capped.
//
// Thread-safety: reentrant. Cost: one posix_spawn (no copy of this process's
// memory), a few ms for a typical `--help`.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace cmdai::ground {

struct ProbeLimits {
  int timeout_ms = 800;                // the whole run, start to exit
  size_t max_output = 512 * 1024;      // bytes of stdout+stderr kept; the program is stopped past it
  std::string path = "/usr/bin:/bin";  // PATH given to the program (man needs it to find groff)
};

struct ProbeResult {
  bool started = false;    // false: it could not be started (not executable, out of resources)
  bool timed_out = false;  // killed at the deadline
  bool truncated = false;  // output reached max_output
  int exit_code = -1;      // its exit status, 128+N when killed by signal N, -1 when unknown
  std::string output;      // stdout and stderr, interleaved as written
};

/// Runs `program` (an absolute path) with `args` (argv[0] is the basename of
/// `program`, or `argv0` when given: BusyBox picks the applet from it).
ProbeResult RunProbe(const std::string& program, const std::vector<std::string>& args, const ProbeLimits& limits,
                     const std::string& argv0 = "");

}  // namespace cmdai::ground
