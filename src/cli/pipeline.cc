// SPDX-License-Identifier: MIT
#include "cli/pipeline.h"

#include <algorithm>
#include <cctype>

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
                                   Backend& backend, bool with_explanation, Generation* raw,
                                   const ExtractOptions& extract, const AnswerSink& on_text) {
  return RunPrompt(config, BuildPrompt(context, request, with_explanation), backend, with_explanation, raw, extract,
                   on_text);
}

ground::GroundOptions GroundOptionsFor(const Config& config, const Context& context) {
  ground::GroundOptions o;
  o.shell = config.shell;
  o.shell_version = context.shell_version;
  o.path = config.path.empty() ? "/usr/bin:/bin" : config.path;  // execvp's default, as the shell would use
  o.home = config.home;
  o.cache_dir = config.cache_dir.empty() ? "" : config.cache_dir + "/grounding";
  return o;
}

ExtractOptions ExtractOptionsFor(const Config& config, ground::Grounder& grounder) {
  ExtractOptions o;
  o.shell = config.shell;
  o.resolves = [&grounder](const std::string& name) {
    // "./deploy.sh", "/opt/x/bin/tool": a file to run, from the working directory.
    if (name.find('/') != std::string::npos) return ground::IsExecutableFile(name);
    return grounder.Resolves(name);
  };
  return o;
}

GroundedAnswer GroundAndRevise(const Config& config, const Context& context, const std::string& request,
                               Backend& backend, bool with_explanation, ground::Grounder& grounder,
                               PipelineResult first, const ExtractOptions& extract,
                               const std::function<void()>& before_revise) {
  GroundedAnswer out;
  auto add = [&out](const ground::GroundResult& r) {
    out.ms += r.stats.ms;
    out.stats.ms += r.stats.ms;
    out.stats.commands += r.stats.commands;
    out.stats.probes_run += r.stats.probes_run;
    out.stats.probes_cached += r.stats.probes_cached;
  };
  const ground::GroundResult checked = grounder.Check(first.extracted.command);
  add(checked);
  out.findings = checked.findings;
  out.result = std::move(first);
  if (checked.clean()) return out;

  GroundingRevision rev;
  rev.first_command = out.result.extracted.command;
  rev.first_findings = checked.findings;
  const std::string feedback =
      ground::RevisionFeedback(checked.findings, context.userland, config.shell, context.shell_version);
  if (before_revise) before_revise();
  Generation raw;
  auto second = RunPrompt(config, BuildFitPrompt(context, request, rev.first_command, feedback, with_explanation),
                          backend, with_explanation, &raw, extract);
  rev.generation = raw;
  if (!second.ok()) {
    rev.note = "the revise round gave no command: " + second.status().message();
  } else {
    rev.second_command = second->extracted.command;
    const ground::GroundResult again = grounder.Check(rev.second_command);
    add(again);
    rev.second_findings = again.findings;
    if (again.clean() && rev.second_command != rev.first_command) {
      rev.used_second = true;
      out.findings.clear();
      out.result = std::move(second).value();
    } else {
      rev.note = rev.second_command == rev.first_command ? "the model gave the same command again"
                                                         : "the revised command does not fit this machine either";
    }
  }
  out.revision = std::move(rev);
  return out;
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
                                 Generation* raw, const ExtractOptions& extract, const AnswerSink& on_text) {
  GenerationRequest gen;
  gen.messages = prompt.messages;
  gen.answer_prefix = prompt.answer_prefix;
  gen.grammar = prompt.grammar;
  gen.forced_after = prompt.forced_after;
  gen.forced_rest = prompt.forced_rest;
  gen.reusable_chars = prompt.reusable_chars;
  // Without an explanation the answer is complete at the closing fence:
  // stopping there saves the decode steps of whatever would follow.
  if (!with_explanation) gen.stop = {"\n```"};
  gen.max_tokens = config.max_tokens;
  gen.temperature = config.temperature;
  gen.seed = config.seed;
  gen.on_text = on_text;

  auto generation = backend.Generate(gen);
  if (!generation.ok()) return generation.status();
  if (raw) *raw = generation.value();

  auto extracted = ExtractCommand(generation->text, extract);
  // A command read from a line (not a closed block, span or object) that
  // ends the answer may itself be what max_tokens cut short.
  if (extracted.ok() && generation->truncated && extracted->shape != "fenced" && extracted->shape != "json" &&
      extracted->shape != "inline" && extracted->shape != "list") {
    std::string text = generation->text;
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    if (text.size() >= extracted->command.size() &&
        text.compare(text.size() - extracted->command.size(), std::string::npos, extracted->command) == 0)
      extracted = Status::Error(ErrorCode::kNoCommand, "cut off");
  }
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
