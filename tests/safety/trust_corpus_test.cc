// SPDX-License-Identifier: MIT
// The trust corpus (tests/safety/trust_corpus.tsv), written independently of
// the engine: every command must get its labelled risk, and the labelled
// decision at each safety level (strict, moderate, permissive).
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "safety/risk_classifier.h"

namespace cmdai::safety {
namespace {

struct Case {
  Risk risk;
  std::array<Decision, 3> decisions;
  std::string command;
  int line;
};

std::vector<Case> Load() {
  std::ifstream f(CMDAI_TRUST_CORPUS);
  std::vector<Case> out;
  std::string line;
  int n = 0;
  while (std::getline(f, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream in(line);
    std::string risk, decisions, command;
    if (!std::getline(in, risk, '\t') || !std::getline(in, decisions, '\t') || !std::getline(in, command)) {
      ADD_FAILURE() << "line " << n << " is not RISK<TAB>DECISIONS<TAB>COMMAND";
      continue;
    }
    Case c{ParseRisk(risk).value_or(Risk::kCritical), {}, command, n};
    std::istringstream ds(decisions);
    std::string d;
    for (int k = 0; k < 3 && std::getline(ds, d, ','); ++k)
      c.decisions[k] = ParseDecision(d).value_or(Decision::kBlock);
    for (size_t p; (p = c.command.find("⏎")) != std::string::npos;) c.command.replace(p, std::string("⏎").size(), "\n");
    out.push_back(c);
  }
  return out;
}

TEST(TrustCorpus, HasAtLeast400CasesCoveringEveryRisk) {
  const auto cases = Load();
  EXPECT_GE(cases.size(), 400u);
  std::array<int, 4> per{};
  for (const auto& c : cases) per[static_cast<int>(c.risk)]++;
  for (int k : per) EXPECT_GE(k, 50);
}

TEST(TrustCorpus, EveryCommandGetsItsRiskAndItsDecisionAtEveryLevel) {
  auto at_level = [](SafetyLevel l) {
    SafetyPolicy p;
    p.level = l;
    p.disks = posix::BlockDevices{};  // labels do not depend on this machine's devices
    return RiskClassifier(p);
  };
  std::array<RiskClassifier, 3> at = {at_level(SafetyLevel::kStrict), at_level(SafetyLevel::kModerate),
                                      at_level(SafetyLevel::kPermissive)};
  std::ostringstream misses;
  int wrong = 0, dangerous_allowed = 0, total = 0;
  for (const auto& c : Load()) {
    ++total;
    bool ok = true;
    std::string got;
    Risk rated = Risk::kSafe;
    for (int k = 0; k < 3; ++k) {
      const Assessment a = at[k].Rate(c.command);
      rated = a.risk;
      ok &= a.decision == c.decisions[k] && a.risk == c.risk;
      got += std::string(k ? "," : "") + DecisionName(a.decision);
      if (c.risk != Risk::kSafe && a.decision == Decision::kAllow && k < 2) ++dangerous_allowed;
    }
    if (!ok) {
      ++wrong;
      misses << "  line " << c.line << ": expected " << RiskName(c.risk) << ", rated " << RiskName(rated) << " (" << got
             << "): " << c.command.substr(0, 160) << "\n";
    }
  }
  std::printf("trust corpus: %d of %d as labelled; %d non-safe commands allowed at strict or moderate\n", total - wrong,
              total, dangerous_allowed);
  EXPECT_EQ(dangerous_allowed, 0);
  EXPECT_EQ(wrong, 0) << wrong << " commands rated differently from their label:\n" << misses.str();
}

}  // namespace
}  // namespace cmdai::safety
