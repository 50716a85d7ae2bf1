// SPDX-License-Identifier: MIT
#include "cli/app.h"

#include <cstdio>

#include "cli/arguments.h"
#include "cli/edge.h"
#include "cli/exit_code.h"
#include "cli/explain_command.h"
#include "cli/models_command.h"
#include "cli/rate_command.h"
#include "cli/serve_command.h"
#include "cli/session.h"
#include "cli/shell_init.h"
#include "common/interrupt.h"
#include "config/config.h"

#ifndef CMDAI_VERSION
#define CMDAI_VERSION "0.0.0"
#endif

namespace cmdai {
namespace {

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

}  // namespace

int RunApp(int argc, const char* const* argv) {
  InstallInterruptHandler();
  auto inv = ParseArguments(argc, argv);
  if (!inv.ok()) return Fail(inv.status());
  switch (inv->action) {
    case Action::kHelp: std::fputs(inv->help.c_str(), stdout); return kExitOk;
    case Action::kVersion: std::printf("cmdai %s\n", CMDAI_VERSION); return kExitOk;
    case Action::kInit: std::fputs(InitSnippet(inv->words[0]).c_str(), stdout); return kExitOk;
    case Action::kCompletions: std::fputs(CompletionScript(inv->words[0]).c_str(), stdout); return kExitOk;
    default: break;
  }
  auto config = LoadConfig(inv->config);
  if (!config.ok()) return Fail(config.status());
  switch (inv->action) {
    case Action::kConfigShow: return ShowConfig(config.value());
    case Action::kConfigPath: std::printf("%s\n", config->config_file.c_str()); return kExitOk;
    case Action::kRate: return RunRate(inv.value(), config.value());
    case Action::kExplain: return RunExplain(inv.value(), config.value());
    case Action::kModels: return RunModels(inv->words, config.value());
    case Action::kServe: return RunServe(config.value());
    default: return RunSession(inv.value(), config.value());
  }
}

}  // namespace cmdai
