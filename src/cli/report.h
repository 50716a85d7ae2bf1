// SPDX-License-Identifier: MIT
// Report: the object `--output json|yaml` prints — a stable record of one
// request: what was asked, the command, its rating, which engine answered,
// timings, and whether and how it ran. Documented in docs/cli.md.
#pragma once

#include <optional>
#include <string>

#include "backends/backend.h"
#include "safety/risk_classifier.h"

namespace cmdai {

struct Report {
  std::string request;
  std::string command;
  std::string explanation;
  std::string shell;
  safety::Assessment assessment;
  BackendInfo backend;
  Timings timings;
  double total_ms = 0;
  bool executed = false;
  std::optional<int> exit_status;  // when executed
};

std::string ReportJson(const Report& r);
std::string ReportYaml(const Report& r);

}  // namespace cmdai
