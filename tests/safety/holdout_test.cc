// SPDX-License-Identifier: MIT
// Held-out commands (tests/safety/holdout.tsv), labelled before they were
// rated and never used to tune the rules: an honest look at unseen input.
// What must hold: nothing labelled high or critical is rated safe.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>

#include "safety/risk_classifier.h"

namespace cmdai::safety {
namespace {

TEST(Holdout, NoDangerousCommandIsRatedSafe) {
  std::ifstream f(CMDAI_HOLDOUT);
  // Every disk unknown to the machine: labels do not depend on the machine's devices.
  SafetyPolicy policy;
  policy.disks = posix::BlockDevices{};
  const RiskClassifier classifier(policy);
  int total = 0, exact = 0, under = 0;
  for (std::string line; std::getline(f, line);) {
    if (line.empty() || line[0] == '#') continue;
    const auto tab = line.find('\t');
    const auto label = ParseRisk(line.substr(0, tab));
    if (!label) continue;
    const std::string cmd = line.substr(tab + 1);
    const Assessment a = classifier.Rate(cmd);
    ++total;
    exact += a.risk == *label;
    if (a.risk < *label) {
      ++under;
      std::printf("  under-rated: %s (labelled %s, rated %s)\n", cmd.c_str(), RiskName(*label), RiskName(a.risk));
    }
    if (*label >= Risk::kHigh) {
      EXPECT_NE(a.risk, Risk::kSafe) << cmd;
    }
  }
  std::printf("held-out: %d commands, %d rated exactly as labelled, %d rated lower\n", total, exact, under);
  EXPECT_GE(total, 50);
}

}  // namespace
}  // namespace cmdai::safety
