// SPDX-License-Identifier: MIT
// libFuzzer target: any bytes, rated as a shell command. The rating must
// finish without a crash, a sanitizer report or a hang, and its findings'
// spans must lie inside the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "safety/risk_classifier.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const cmdai::safety::RiskClassifier classifier;
  const std::string command(reinterpret_cast<const char*>(data), size);
  const auto a = classifier.Rate(command);
  for (const auto& f : a.findings)
    if (f.start > f.end || f.end > command.size()) std::abort();  // a span outside the command
  if (a.findings.empty() && a.risk != cmdai::safety::Risk::kSafe) std::abort();
  return 0;
}
