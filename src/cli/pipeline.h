// SPDX-License-Identifier: MIT
// Pipeline: one request to one command, in the order the work happens:
// request → context → prompt → backend → extract. (Safety, presentation and
// execution follow in later stages.) Independent of any particular backend.
#pragma once

#include <string>

#include "backends/backend.h"
#include "common/status.h"
#include "config/config.h"
#include "context/context.h"
#include "extract/extractor.h"
#include "prompt/prompt.h"

namespace cmdai {

struct PipelineResult {
  Extracted extracted;
  Generation generation;
};

/// Runs an already built command prompt through `backend` and extracts the
/// command (shared by first answers and revisions).
Result<PipelineResult> RunPrompt(const Config& config, const Prompt& prompt, Backend& backend, bool with_explanation,
                                 Generation* raw = nullptr);

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
                                   Backend& backend, bool with_explanation, Generation* raw = nullptr);

}  // namespace cmdai
