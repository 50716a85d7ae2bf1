// SPDX-License-Identifier: MIT
// The third outside probe (2026-11-28): commands an engineer who had not read
// the engine found rated "safe" although they write, run code or change the
// machine. Each file under tests/safety/outside_probe/ lists
// MINIMUM-RISK<TAB>COMMAND ("⏎" for a newline): the command must be rated at
// least that, and never allowed without asking unless that minimum is safe.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "safety/risk_classifier.h"

namespace cmdai::safety {
namespace {

struct Case {
  Risk at_least;
  std::string command;
  std::string where;
};

std::vector<Case> Load() {
  std::vector<Case> out;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(CMDAI_OUTSIDE_PROBE))
    if (e.path().extension() == ".tsv") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    std::ifstream f(file);
    std::string line;
    int n = 0;
    while (std::getline(f, line)) {
      ++n;
      if (line.empty() || line[0] == '#') continue;
      const auto tab = line.find('\t');
      const auto risk = tab == std::string::npos ? std::nullopt : ParseRisk(line.substr(0, tab));
      if (!risk) {
        ADD_FAILURE() << file.filename() << ":" << n << " is not RISK<TAB>COMMAND";
        continue;
      }
      Case c{*risk, line.substr(tab + 1), file.filename().string() + ":" + std::to_string(n)};
      for (size_t p; (p = c.command.find("⏎")) != std::string::npos;)
        c.command.replace(p, std::string("⏎").size(), "\n");
      out.push_back(c);
    }
  }
  return out;
}

TEST(OutsideProbe, EveryCaseIsRatedAtLeastItsMinimumAndNeverAllowedUnasked) {
  SafetyPolicy p;
  p.level = SafetyLevel::kModerate;
  p.disks = posix::BlockDevices{};
  const RiskClassifier rate(p);
  const auto cases = Load();
  EXPECT_GE(cases.size(), 100u);
  std::ostringstream misses;
  int wrong = 0;
  for (const auto& c : cases) {
    const Assessment a = rate.Rate(c.command);
    const bool low = static_cast<int>(a.risk) < static_cast<int>(c.at_least);
    const bool allowed = c.at_least != Risk::kSafe && a.decision == Decision::kAllow;
    if (low || allowed) {
      ++wrong;
      misses << "  " << c.where << ": " << RiskName(a.risk) << "/" << DecisionName(a.decision) << " (want "
             << RiskName(c.at_least) << "+): " << c.command << "\n";
    }
  }
  EXPECT_EQ(wrong, 0) << misses.str();
}

}  // namespace
}  // namespace cmdai::safety
