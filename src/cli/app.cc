// SPDX-License-Identifier: MIT
#include "cli/app.h"

#include <cstdio>

#include "cli/arguments.h"
#include "cli/config_command.h"
#include "cli/edge.h"
#include "cli/exit_code.h"
#include "cli/explain_command.h"
#include "cli/models_command.h"
#include "cli/options.h"
#include "cli/rate_command.h"
#include "cli/serve_command.h"
#include "cli/session.h"
#include "cli/shell_init.h"
#include "common/interrupt.h"
#include "config/config.h"
#include "ui/terminal.h"

#ifndef CMDAI_VERSION
#define CMDAI_VERSION "0.0.0"
#endif

namespace cmdai {

namespace {

int RunAction(int argc, const char* const* argv) {
  auto inv = ParseArguments(argc, argv);
  if (!inv.ok()) return Fail(inv.status());
  switch (inv->action) {
    case Action::kHelp: std::fputs(inv->help.c_str(), stdout); return kExitOk;
    case Action::kVersion: std::printf("cmdai %s\n", CMDAI_VERSION); return kExitOk;
    case Action::kInit: std::fputs(InitSnippet(inv->words[0]).c_str(), stdout); return kExitOk;
    case Action::kCompletions: std::fputs(CompletionScript(inv->words[0]).c_str(), stdout); return kExitOk;
    default: break;
  }
  // A bare `cmdai` on a terminal asks for nothing: it shows how to ask.
  if (inv->action == Action::kGenerate && inv->words.empty() && Terminal::Detect().stdin_tty) {
    std::fputs(Usage().c_str(), stderr);
    return kExitUsage;
  }
  auto config = LoadConfig(inv->config);
  if (!config.ok()) return Fail(config.status());
  if (!inv->after_config.ok()) return Fail(inv->after_config);
  switch (inv->action) {
    case Action::kConfigShow: std::fputs(ConfigShowText(config.value()).c_str(), stdout); return kExitOk;
    case Action::kConfigPath: std::printf("%s\n", config->config_file.c_str()); return kExitOk;
    case Action::kRate: return RunRate(inv.value(), config.value());
    case Action::kExplain: return RunExplain(inv.value(), config.value());
    case Action::kModels: return RunModels(inv->words, config.value());
    case Action::kServe: return RunServe(config.value(), inv->wake);
    default: return RunSession(inv.value(), config.value());
  }
}

}  // namespace

int RunApp(int argc, const char* const* argv) {
  InstallInterruptHandler();
  return CheckStdout(RunAction(argc, argv));
}

}  // namespace cmdai
