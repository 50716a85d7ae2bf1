// SPDX-License-Identifier: MIT
// Replays every input the fuzzer ever flagged (tests/safety/fuzz-regressions/)
// and checks what the fuzz target checks: a rating with spans inside the input.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "safety/risk_classifier.h"

namespace cmdai::safety {
namespace {

TEST(FuzzRegressions, EveryStoredInputIsRatedWithSpansInsideIt) {
  const RiskClassifier classifier;
  int replayed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(CMDAI_FUZZ_REGRESSIONS)) {
    if (!entry.is_regular_file() || entry.path().filename() == "README.md") continue;
    std::ifstream f(entry.path(), std::ios::binary);
    const std::string input((std::istreambuf_iterator<char>(f)), {});
    const Assessment a = classifier.Rate(input);
    for (const auto& finding : a.findings) {
      EXPECT_LE(finding.start, finding.end) << entry.path();
      EXPECT_LE(finding.end, input.size()) << entry.path();
    }
    ++replayed;
  }
  EXPECT_GT(replayed, 0) << "no regression inputs found in " << CMDAI_FUZZ_REGRESSIONS;
}

}  // namespace
}  // namespace cmdai::safety
