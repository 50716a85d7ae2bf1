// SPDX-License-Identifier: MIT
// Pipeline: one request to one command, in the order the work happens:
// request → context → prompt → backend → extract → ground (with one revise
// round when the command does not fit this machine). (Safety, presentation
// and execution follow in later stages.) Independent of any particular backend.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "common/status.h"
#include "config/config.h"
#include "context/context.h"
#include "extract/extractor.h"
#include "ground/grounder.h"
#include "prompt/prompt.h"

namespace cmdai {

struct PipelineResult {
  Extracted extracted;
  Generation generation;
};

/// Receives the answer as it grows (GenerationRequest::on_text); false ends it.
using AnswerSink = std::function<bool(const std::string& answer_so_far)>;

/// Runs an already built command prompt through `backend` and extracts the
/// command (shared by first answers and revisions). `extract` says which
/// names are commands here; without it only a fenced block is read.
/// `on_text` sees the answer grow, where the backend streams.
Result<PipelineResult> RunPrompt(const Config& config, const Prompt& prompt, Backend& backend, bool with_explanation,
                                 Generation* raw = nullptr, const ExtractOptions& extract = {},
                                 const AnswerSink& on_text = {});

/// Asks the model to explain `command`; returns its text, trimmed.
Result<std::string> ExplainCommand(const Config& config, const Context& context, const std::string& command,
                                   Backend& backend);

/// Trims the request and checks it is not empty (kUsage).
Result<std::string> NormalizeRequest(const std::string& raw);

/// Asks `backend` for a command for `request`. `with_explanation` asks for
/// the one-line explanation too (it costs generation time, so only when it
/// will be shown). Fails with the backend's error, or kNoCommand when the
/// answer was cut off or holds no command. When `raw` is given it receives the
/// backend's answer whenever there was one, for -v diagnostics.
Result<PipelineResult> RunPipeline(const Config& config, const Context& context, const std::string& request,
                                   Backend& backend, bool with_explanation, Generation* raw = nullptr,
                                   const ExtractOptions& extract = {}, const AnswerSink& on_text = {});

/// Grounding's options for this configuration and machine: the target shell
/// and its version, PATH, HOME and $XDG_CACHE_HOME/cmdai/grounding.
ground::GroundOptions GroundOptionsFor(const Config& config, const Context& context);

/// Extraction that takes a name as a command when `grounder` resolves it.
ExtractOptions ExtractOptionsFor(const Config& config, ground::Grounder& grounder);

/// The automatic revise round (docs/grounding.md).
struct GroundingRevision {
  std::string first_command;
  std::vector<ground::GroundFinding> first_findings;
  std::string second_command;  // "" when the model gave none
  std::vector<ground::GroundFinding> second_findings;
  bool used_second = false;  // the second answer grounded cleanly and is the one shown
  std::string note;          // why the second was not used (an error, or its findings)
  Generation generation;     // the revise round's answer, when there was one
};

struct GroundedAnswer {
  PipelineResult result;                        // the answer to show
  std::vector<ground::GroundFinding> findings;  // what does not fit this machine in it
  std::optional<GroundingRevision> revision;    // when the first answer had findings
  double ms = 0;                                // the checks (not the revise round's generation)
  ground::GroundStats stats;                    // of every check, summed
};

/// Grounds `first`. When it has findings, the model is told what was wrong
/// (ground::RevisionFeedback) and asked once for another command; that one is
/// shown if it grounds cleanly, else the first with its findings. Never
/// fails and never blocks: a failed revise round keeps the first answer.
/// `before_revise` runs just before the revise round's generation (a spinner).
GroundedAnswer GroundAndRevise(const Config& config, const Context& context, const std::string& request,
                               Backend& backend, bool with_explanation, ground::Grounder& grounder,
                               PipelineResult first, const ExtractOptions& extract,
                               const std::function<void()>& before_revise = {});

}  // namespace cmdai
