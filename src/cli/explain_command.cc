// SPDX-License-Identifier: MIT
#include "cli/explain_command.h"

#include <cstdio>
#include <memory>

#include "cli/backend_factory.h"
#include "cli/edge.h"
#include "cli/exit_code.h"
#include "cli/pipeline.h"
#include "cli/policy_from_config.h"
#include "common/visible_text.h"
#include "context/context.h"
#include "safety/risk_classifier.h"
#include "ui/spinner.h"
#include "ui/terminal.h"

namespace cmdai {

int RunExplain(const Invocation& inv, const Config& config) {
  const Terminal term = Terminal::Detect();
  auto raw = ReadInput(inv.words, term.stdin_tty, "command");
  if (!raw.ok()) return Fail(raw.status());
  auto command = NormalizeRequest(raw.value());
  if (!command.ok())
    return Fail(command.status().code() == ErrorCode::kUsage
                    ? Status::Error(ErrorCode::kUsage, "no command to explain", "cmdai explain -- 'COMMAND'")
                    : command.status());
  const safety::Assessment a = safety::RiskClassifier(PolicyFromConfig(config)).Rate(command.value());
  std::unique_ptr<Backend> backend;
  {
    auto b = OpenBackend(config, term.stderr_tty && !config.quiet);
    if (!b.ok()) return Fail(NamingSource(b.status(), config, "model"));
    backend = std::move(b).value();
  }
  Result<std::string> text = Status::Error(ErrorCode::kBackend, "not run");
  {
    ui::Spinner spin(term.stderr_tty && !config.quiet && config.color != ColorMode::kNever, "explaining…");
    text = ExplainCommand(config, DetectContext(config.shell, config.cwd), command.value(), *backend);
  }
  if (!text.ok()) return Fail(text.status());
  // The explanation is prose for reading, wherever it goes: lines and tabs
  // are kept, every other control or invisible character is shown.
  VisibleOptions prose;
  prose.keep_newlines = true;
  std::printf("%s\n", VisibleText(text.value(), prose).c_str());
  if (!config.quiet) {
    std::fprintf(stderr, "risk: %s (%s at safety level %s)\n", safety::RiskName(a.risk),
                 safety::DecisionName(a.decision), safety::LevelName(a.level));
    for (const auto& f : a.findings)
      std::fprintf(stderr, "  %s: %s\n", safety::RiskName(f.risk), VisibleText(f.message).c_str());
  }
  return kExitOk;
}

}  // namespace cmdai
