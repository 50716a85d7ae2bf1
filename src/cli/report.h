// SPDX-License-Identifier: MIT
// Report: the object `--output json|yaml` prints — a stable record of one
// request: what was asked, the command, its rating, which engine answered,
// timings, and whether and how it ran. Documented in docs/cli.md.
#pragma once

#include <optional>
#include <string>

#include "backends/backend.h"
#include "cli/arguments.h"
#include "ground/grounder.h"
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
  double command_ms = 0;      // from the start to the shown command being whole (its closing fence)
  double explanation_ms = 0;  // from the start to the whole answer, explanation included
  bool executed = false;
  std::optional<int> exit_status;  // when executed
  // Grounding (docs/grounding.md): what in `command` does not fit this
  // machine, and the automatic revise round when the first answer did not.
  std::vector<ground::GroundFinding> grounding;
  struct GroundingRevision {
    std::string first_command;
    std::vector<ground::GroundFinding> first_findings;
    std::string second_command;  // "" when the model gave none
    bool used_second = false;
    std::string note;
  };
  std::optional<GroundingRevision> grounding_revision;
  ground::GroundStats grounding_stats;  // ms, commands, probes run and cached
  Timings revise_timings;               // the revise round's generation
};

std::string ReportJson(const Report& r);
std::string ReportYaml(const Report& r);

/// The product for stdout under `output` (text, json or yaml): the command
/// alone, or the whole object. The command goes out byte for byte only to a
/// pipe or file (for eval); on a terminal (`stdout_tty`) it is shown visibly,
/// so that it cannot redraw the screen.
std::string ProductText(const Report& r, Output output, bool stdout_tty);

/// The -v lines: which engine answered (`describe`), then load (backends
/// and device, weights, context), prompt, generation and total timings, time
/// to command and to explanation, each line starting "cmdai: ".
std::string TimingLines(const Report& r, const std::string& describe);

}  // namespace cmdai
