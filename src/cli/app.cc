// SPDX-License-Identifier: MIT
#include "cli/app.h"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "backends/embedded_backend.h"
#include "cli/arguments.h"
#include "cli/exit_code.h"
#include "cli/pipeline.h"
#include "cli/policy_from_config.h"
#include "cli/rate_command.h"
#include "common/interrupt.h"
#include "config/config.h"
#include "context/context.h"
#include "models/model_locator.h"
#include "ui/terminal.h"

#ifndef CMDAI_VERSION
#define CMDAI_VERSION "0.0.0"
#endif

namespace cmdai {
namespace {

using Clock = std::chrono::steady_clock;

// Requests longer than this are refused before any model work; no context
// window a small model has could hold them.
constexpr size_t kMaxStdinRequest = 1 << 20;

int Fail(const Status& s) {
  if (s.code() == ErrorCode::kInterrupted) {
    std::fprintf(stderr, "cmdai: interrupted\n");
    return ExitCodeFor(s);
  }
  std::fprintf(stderr, "cmdai: error: %s\n", s.ToString().c_str());
  return ExitCodeFor(s);
}

void Note(const Config& c, const std::string& text) {
  if (!c.quiet) std::fprintf(stderr, "cmdai: %s\n", text.c_str());
}

// The raw answer on one line, control characters escaped, for -v.
std::string Escape(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02x", c);
      out += buf;
    } else
      out += static_cast<char>(c);
  }
  return out;
}

int ShowConfig(const Config& c) {
  for (const auto& [key, origin] : c.origins) {
    if (origin.value == "(default)") continue;  // unset safety.table entries
    const bool list = !origin.value.empty() && origin.value[0] == '[';
    const std::string shown = list ? origin.value : "\"" + origin.value + "\"";
    std::printf("%-13s = %-24s # %s\n", key.c_str(), shown.c_str(), origin.source.c_str());
  }
  std::printf("# safety.table.LEVEL.RISK: defaults unless listed above (docs/safety.md)\n");
  std::printf("# config file: %s\n", c.config_file.c_str());
  return kExitOk;
}

bool UseColor(const Config& c, bool tty) { return c.color == "always" || (c.color == "auto" && tty); }

int Rate(const Invocation& inv, const Config& config) {
  const Terminal term = Terminal::Detect();
  std::string command;
  if (!inv.words.empty()) {
    for (const auto& w : inv.words) command += (command.empty() ? "" : " ") + w;
  } else if (!term.stdin_tty) {
    std::ostringstream s;
    char buf[65536];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof(buf), stdin)) > 0 && !Interrupted()) {
      s.write(buf, static_cast<std::streamsize>(n));
      if (static_cast<size_t>(s.tellp()) > kMaxStdinRequest)
        return Fail(
            Status::Error(ErrorCode::kUsage, "the command on stdin is longer than 1 MiB", "rate a shorter command"));
    }
    if (Interrupted()) return Fail(Status::Error(ErrorCode::kInterrupted, "interrupted"));
    command = s.str();
    while (!command.empty() && command.back() == '\n') command.pop_back();
  }
  if (command.find_first_not_of(" \t\r\n") == std::string::npos)
    return Fail(Status::Error(ErrorCode::kUsage, "no command to rate", "cmdai rate -- 'COMMAND', or pipe it in"));
  const safety::RiskClassifier classifier(PolicyFromConfig(config));
  const safety::Assessment a = classifier.Rate(command);
  const std::string out = inv.json ? AssessmentJson(a) + "\n" : AssessmentText(a, UseColor(config, term.stdout_tty));
  std::fwrite(out.data(), 1, out.size(), stdout);
  return ExitCodeForDecision(a.decision);
}

Result<std::string> ReadRequest(const Invocation& inv, const Terminal& term) {
  std::string raw;
  if (!inv.words.empty()) {
    for (const auto& w : inv.words) raw += (raw.empty() ? "" : " ") + w;
  } else if (!term.stdin_tty) {
    std::ostringstream s;
    char buf[65536];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof(buf), stdin)) > 0 && !Interrupted()) {
      s.write(buf, static_cast<std::streamsize>(n));
      if (static_cast<size_t>(s.tellp()) > kMaxStdinRequest)
        return Status::Error(ErrorCode::kUsage, "the request on stdin is longer than 1 MiB", "shorten the request");
    }
    // The handler is installed without SA_RESTART, so Ctrl-C ends the read.
    if (Interrupted()) return Status::Error(ErrorCode::kInterrupted, "interrupted");
    raw = s.str();
  }
  return NormalizeRequest(raw);
}

int Generate(const Invocation& inv, const Config& config) {
  const auto t_start = Clock::now();
  const Terminal term = Terminal::Detect();
  auto request = ReadRequest(inv, term);
  if (!request.ok()) return Fail(request.status());

  const Context context = DetectContext(config.shell, config.cwd);

  auto model_path = LocateModel(config);
  if (!model_path.ok()) return Fail(model_path.status());
  EmbeddedOptions opts;
  opts.model_path = model_path.value();
  opts.device = config.device;
  opts.threads = config.threads;
  opts.context_size = config.context_size;
  opts.note = [&config](const std::string& n) { Note(config, n); };
  auto backend = EmbeddedBackend::Open(opts);
  if (!backend.ok()) return Fail(backend.status());

  // The explanation costs generation time, so it is asked for only when a
  // person will read it.
  const bool show_explanation = config.explain && term.stderr_tty && !config.quiet;
  Generation raw;
  auto result = RunPipeline(config, context, request.value(), *backend.value(), show_explanation, &raw);
  if (config.verbose && !raw.text.empty()) std::fprintf(stderr, "cmdai: model answer: %s\n", Escape(raw.text).c_str());
  if (!result.ok()) return Fail(result.status());

  // Every command is rated before it is shown (docs/safety.md).
  const safety::RiskClassifier classifier(PolicyFromConfig(config));
  const safety::Assessment rating = classifier.Rate(result->extracted.command);

  std::printf("%s\n", result->extracted.command.c_str());
  std::fflush(stdout);
  if (show_explanation && !result->extracted.explanation.empty())
    std::fprintf(stderr, "# %s\n", result->extracted.explanation.c_str());
  if ((term.stderr_tty && !config.quiet) || config.verbose) {
    std::fprintf(stderr, "# risk: %s, %s at safety level %s\n", safety::RiskName(rating.risk),
                 safety::DecisionName(rating.decision), safety::LevelName(rating.level));
    for (const auto& f : rating.findings)
      if (f.risk != safety::Risk::kSafe)
        std::fprintf(stderr, "#   %s: %s\n", safety::RiskName(f.risk), f.message.c_str());
  }
  if (config.verbose) {
    const Timings& t = result->generation.timings;
    std::fprintf(stderr, "cmdai: %s\n", backend.value()->Describe().c_str());
    std::fprintf(stderr,
                 "cmdai: load %.0f ms | prefill %d tokens in %.0f ms (%.1f tok/s) | generation %d tokens in %.0f ms "
                 "(%.1f tok/s) | total %.0f ms\n",
                 backend.value()->load_ms(), t.prompt_tokens, t.prefill_ms,
                 t.prefill_ms > 0 ? t.prompt_tokens * 1000.0 / t.prefill_ms : 0.0, t.generated_tokens, t.generation_ms,
                 t.generation_ms > 0 ? t.generated_tokens * 1000.0 / t.generation_ms : 0.0,
                 std::chrono::duration<double, std::milli>(Clock::now() - t_start).count());
  }
  return kExitOk;
}

}  // namespace

int RunApp(int argc, const char* const* argv) {
  InstallInterruptHandler();
  auto inv = ParseArguments(argc, argv);
  if (!inv.ok()) return Fail(inv.status());
  switch (inv->action) {
    case Action::kHelp: std::fputs(inv->help.c_str(), stdout); return kExitOk;
    case Action::kVersion: std::printf("cmdai %s\n", CMDAI_VERSION); return kExitOk;
    default: break;
  }
  auto config = LoadConfig(inv->config);
  if (!config.ok()) return Fail(config.status());
  switch (inv->action) {
    case Action::kConfigShow: return ShowConfig(config.value());
    case Action::kConfigPath: std::printf("%s\n", config->config_file.c_str()); return kExitOk;
    case Action::kRate: return Rate(inv.value(), config.value());
    default: return Generate(inv.value(), config.value());
  }
}

}  // namespace cmdai
