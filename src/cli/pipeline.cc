// SPDX-License-Identifier: MIT
#include "cli/pipeline.h"

#include <algorithm>

#include "prompt/prompt.h"

namespace cmdai {

Result<std::string> NormalizeRequest(const std::string& raw) {
  const char* ws = " \t\r\n";
  auto b = raw.find_first_not_of(ws);
  if (b == std::string::npos)
    return Status::Error(ErrorCode::kUsage, "empty request", "say what you want, e.g. cmdai 'list files by size'");
  auto e = raw.find_last_not_of(ws);
  return raw.substr(b, e - b + 1);
}

Result<PipelineResult> RunPipeline(const Config& config, const Context& context, const std::string& request,
                                   Backend& backend, bool with_explanation, Generation* raw) {
  return RunPrompt(config, BuildPrompt(context, request, with_explanation), backend, with_explanation, raw);
}

Result<std::string> ExplainCommand(const Config& config, const Context& context, const std::string& command,
                                   Backend& backend) {
  const Prompt prompt = BuildExplainPrompt(context, command);
  GenerationRequest gen;
  gen.messages = prompt.messages;
  gen.max_tokens = std::max(config.max_tokens, 256);
  gen.temperature = config.temperature;
  gen.seed = config.seed;
  auto g = backend.Generate(gen);
  if (!g.ok()) return g.status();
  auto text = NormalizeRequest(g->text);
  if (!text.ok()) return Status::Error(ErrorCode::kNoCommand, "the model gave no explanation");
  return text.value() + (g->truncated ? " …" : "");
}

Result<PipelineResult> RunPrompt(const Config& config, const Prompt& prompt, Backend& backend, bool with_explanation,
                                 Generation* raw) {
  GenerationRequest gen;
  gen.messages = prompt.messages;
  gen.answer_prefix = prompt.answer_prefix;
  gen.grammar = prompt.grammar;
  // Without an explanation the answer is complete at the closing fence:
  // stopping there saves the decode steps of whatever would follow.
  if (!with_explanation) gen.stop = {"\n```"};
  gen.max_tokens = config.max_tokens;
  gen.temperature = config.temperature;
  gen.seed = config.seed;

  auto generation = backend.Generate(gen);
  if (!generation.ok()) return generation.status();
  if (raw) *raw = generation.value();

  auto extracted = ExtractCommand(generation->text);
  if (!extracted.ok()) {
    // A command cut off by max_tokens is never offered: the cut could turn a
    // narrow command into a broad one.
    if (generation->truncated)
      return Status::Error(ErrorCode::kNoCommand,
                           "the model's answer was cut off after " + std::to_string(config.max_tokens) +
                               " tokens before the command was complete",
                           "raise max_tokens or rephrase the request");
    return extracted.status();
  }
  return PipelineResult{std::move(extracted).value(), std::move(generation).value()};
}

}  // namespace cmdai
