// SPDX-License-Identifier: MIT
// Answer step: the part of a request between "we have a backend" and "we
// have the command to show" — the model's answer under its spinner, drawn
// live on a terminal (ui/live_card.h: the command the moment its closing
// fence is generated, then the explanation as it streams), grounded, and
// revised once when it does not fit this machine (docs/grounding.md). What
// it learns goes into the Report (timings, the revise round, -v's answers).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cli/pipeline.h"
#include "cli/report.h"
#include "ui/keys.h"
#include "ui/style.h"

namespace cmdai {

struct AnswerSetup {
  const Config* config = nullptr;
  const Context* context = nullptr;
  ground::Grounder* grounder = nullptr;  // used when config->grounding
  const ExtractOptions* extract = nullptr;
  bool with_explanation = false;
  bool spinner = false;  // draw "thinking…" while nothing else is on screen
  /// A person waits at the menu: draw the live card. `card_head` gives the
  /// card's lines for a command (rated there) that grounds cleanly.
  bool live = false;
  ui::Style style;
  std::function<std::string(const std::string& command)> card_head;
};

struct Answer {
  PipelineResult result;                         // the answer to show
  std::vector<ground::GroundFinding> grounding;  // what in its command does not fit this machine
  bool card_drawn = false;                       // its card is whole on screen already
  std::optional<ui::Key> key;                    // pressed while the explanation streamed
};

/// Asks `backend` for `request`'s command. `start` is when the request
/// began: -v's time to command and to explanation count from it. Fails as
/// RunPipeline does; a failed revise round keeps the first answer.
Result<Answer> AnswerRequest(const AnswerSetup& setup, const std::string& request, Backend& backend, Report& report,
                             std::chrono::steady_clock::time_point start);

}  // namespace cmdai
