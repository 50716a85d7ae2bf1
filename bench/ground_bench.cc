// SPDX-License-Identifier: MIT
// ground-bench: what grounding costs (docs/performance.md, docs/grounding.md).
//
//   ground-bench                 typical commands, cold (empty cache) and warm
//   ground-bench -- 'COMMAND'…   the findings for each COMMAND, and its cost
//
// Cold: a fresh cache directory and a fresh Grounder, so every utility's
// --help (and, on BSD systems, manual page) runs. Warm: a fresh Grounder
// (a new cmdai process) over the filled cache directory. Runs on this
// machine's PATH and shell ($SHELL, else bash); prints medians of N runs.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "ground/grounder.h"

namespace {

using cmdai::ground::Grounder;
using cmdai::ground::GroundOptions;
using cmdai::ground::GroundResult;

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

GroundOptions Options(const std::string& cache_dir) {
  GroundOptions o;
  const char* path = std::getenv("PATH");
  const char* shell = std::getenv("SHELL");
  o.path = path ? path : "/usr/bin:/bin";
  std::string s = shell ? std::filesystem::path(shell).filename().string() : "bash";
  if (s != "bash" && s != "zsh" && s != "fish" && s != "sh") s = "bash";
  o.shell = s;
  o.shell_version = cmdai::ground::DetectShellVersion(s, o.path, cache_dir);
  o.cache_dir = cache_dir;
  return o;
}

void Print(const std::string& command, const GroundResult& r) {
  std::printf("%s\n  %.2f ms, %d commands, %d probes run, %d cached\n", command.c_str(), r.stats.ms, r.stats.commands,
              r.stats.probes_run, r.stats.probes_cached);
  for (const auto& f : r.findings)
    std::printf("  %s: %s%s%s\n", cmdai::ground::KindName(f.kind), f.message.c_str(), f.hint.empty() ? "" : " — ",
                f.hint.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  const std::string tmp = (std::filesystem::temp_directory_path() / "cmdai-ground-bench").string();
  std::vector<std::string> commands;
  bool show = false;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--") {
      show = true;
      continue;
    }
    commands.push_back(argv[i]);
  }
  if (!commands.empty()) show = true;
  if (commands.empty())
    commands = {"ls -la",
                "du -sh * | sort -h",
                "find . -name '*.log' -mtime +7 -print0 | xargs -0 rm -f",
                "grep -rn --include='*.cc' TODO src | head -20",
                "ps aux --sort=-%mem | head -5",
                "tar -czf backup.tgz --exclude=.git .",
                "sed -i 's/foo/bar/g' config.txt",
                "df -h | awk 'NR>1 {print $5, $6}' | sort -rn",
                "stat -c '%s %n' *.txt",
                "find . -type f -printf '%s %p\\n' | sort -rn | head"};
  if (show) {
    Grounder g(Options(tmp + "-show"));
    for (const auto& c : commands) Print(c, g.Check(c));
    return 0;
  }
  const int runs = 7;
  std::printf("%-58s %10s %10s\n", "command", "cold ms", "warm ms");
  std::vector<double> all_cold, all_warm;
  for (const auto& c : commands) {
    std::vector<double> cold, warm;
    for (int i = 0; i < runs; ++i) {
      std::error_code ec;
      std::filesystem::remove_all(tmp, ec);
      {
        Grounder g(Options(tmp));
        cold.push_back(g.Check(c).stats.ms);
      }
      Grounder g(Options(tmp));  // a new process: memory empty, disk warm
      warm.push_back(g.Check(c).stats.ms);
    }
    const std::string shown = c.size() > 56 ? c.substr(0, 55) + "…" : c;
    std::printf("%-58s %10.2f %10.2f\n", shown.c_str(), Median(cold), Median(warm));
    all_cold.push_back(Median(cold));
    all_warm.push_back(Median(warm));
  }
  std::printf("%-58s %10.2f %10.2f\n", "median", Median(all_cold), Median(all_warm));
  std::printf("%-58s %10.2f %10.2f\n", "worst", *std::max_element(all_cold.begin(), all_cold.end()),
              *std::max_element(all_warm.begin(), all_warm.end()));
  std::error_code ec;
  std::filesystem::remove_all(tmp, ec);
  return 0;
}
