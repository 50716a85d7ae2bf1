// SPDX-License-Identifier: MIT
// The labelled corpus (tests/safety/corpus.tsv): every command must be rated
// exactly as labelled. Prints per-class precision and recall, the figures
// docs/safety.md reports.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "safety/risk_classifier.h"

namespace cmdai::safety {
namespace {

struct Entry {
  Risk label;
  std::string command;
  int line;
};

std::vector<Entry> LoadCorpus() {
  std::ifstream f(CMDAI_CORPUS);
  std::vector<Entry> out;
  std::string line;
  int n = 0;
  while (std::getline(f, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    auto risk = ParseRisk(line.substr(0, tab));
    if (!risk) continue;
    std::string cmd = line.substr(tab + 1);
    for (size_t p; (p = cmd.find("⏎")) != std::string::npos;) cmd.replace(p, std::string("⏎").size(), "\n");
    out.push_back({*risk, cmd, n});
  }
  return out;
}

TEST(Corpus, HasAtLeast300LabelledCommandsInEveryClass) {
  auto corpus = LoadCorpus();
  EXPECT_GE(corpus.size(), 300u);
  std::array<int, 4> per{};
  for (const auto& e : corpus) per[static_cast<int>(e.label)]++;
  for (int c : per) EXPECT_GE(c, 50);
}

TEST(Corpus, EveryCommandIsRatedAsLabelled) {
  // Every disk unknown to the machine: labels do not depend on the machine's devices.
  SafetyPolicy policy;
  policy.disks = posix::BlockDevices{};
  const RiskClassifier classifier(policy);
  std::array<std::array<int, 4>, 4> confusion{};  // [label][rated]
  std::ostringstream misses;
  int miss_count = 0;
  for (const auto& e : LoadCorpus()) {
    Assessment a = classifier.Rate(e.command);
    confusion[static_cast<int>(e.label)][static_cast<int>(a.risk)]++;
    if (a.risk != e.label) {
      ++miss_count;
      misses << "  line " << e.line << ": expected " << RiskName(e.label) << ", rated " << RiskName(a.risk) << ": "
             << e.command << "\n";
      for (const auto& f : a.findings)
        misses << "      " << RiskName(f.risk) << " " << f.rule << ": " << f.message << "\n";
    }
  }
  std::printf("| class | labelled | rated so | correct | precision | recall |\n|---|---|---|---|---|---|\n");
  for (int c = 0; c < 4; ++c) {
    int labelled = 0, rated = 0;
    for (int k = 0; k < 4; ++k) {
      labelled += confusion[c][k];
      rated += confusion[k][c];
    }
    const int tp = confusion[c][c];
    std::printf("| %s | %d | %d | %d | %.3f | %.3f |\n", RiskName(static_cast<Risk>(c)), labelled, rated, tp,
                rated ? static_cast<double>(tp) / rated : 1.0, labelled ? static_cast<double>(tp) / labelled : 1.0);
  }
  EXPECT_EQ(miss_count, 0) << miss_count << " commands rated differently from their label:\n" << misses.str();
}

}  // namespace
}  // namespace cmdai::safety
