// SPDX-License-Identifier: MIT
// Arguments: turns argv into what to do. Subcommands are recognised only as
// the first argument, so a request that starts with one of their names can be
// given quoted or after `--`.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "config/config.h"

namespace cmdai {

enum class Action {
  kGenerate,
  kExplain,
  kConfigShow,
  kConfigPath,
  kRate,
  kInit,
  kCompletions,
  kModels,
  kServe,
  kHelp,
  kVersion
};

/// kWidget: the three-part answer the Ctrl-G widget reads (cli/shell_init.cc);
/// it prints, never runs, and never shows a menu.
enum class Output { kText, kJson, kYaml, kWidget };

struct Invocation {
  Action action = Action::kGenerate;
  std::vector<std::string> words;  // the request, as given on the command line
  ConfigInputs config;             // flag values by config key, and --config
  std::string help;                // the text to print for kHelp
  Output output = Output::kText;   // --output (generate, rate)
  bool execute = false;            // -x: run without the menu when allowed
  bool yes = false;                // -y: also accept commands that need confirmation
  bool dry_run = false;            // -n: never run anything
  bool print = false;              // --print: only the command on stdout, no menu
  bool no_input = false;           // --no-input: never prompt
  bool wake = false;               // serve --wake: start a server in the background, return at once
  Status after_config;             // a usage error reported once the settings are read
};

/// Parses argv. Fails with kUsage naming the bad argument, with a "did you
/// mean" for a likely typo.
Result<Invocation> ParseArguments(int argc, const char* const* argv);

}  // namespace cmdai
