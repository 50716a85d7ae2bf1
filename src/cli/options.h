// SPDX-License-Identifier: MIT
// Options: the one table of cmdai's subcommands and options. Parsing
// (cli/arguments.cc), --help and `cmdai help TOPIC`, the completion scripts
// (cli/shell_init.cc) and the options table in docs/cli.md are made from it.
// An option that sets a configuration key takes its flag, variable, type,
// default, allowed values and help from that key (config/config.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cmdai {

/// What a value is completed with.
enum class Completion { kNone, kChoices, kFile, kModel };

struct OptionSpec {
  std::string name;                  // "--max-tokens"
  std::string short_name;            // "-t", or ""
  std::string key;                   // the configuration key it sets, or "" for command-line-only options
  std::string value_name;            // "N", "PATH"; "" for a switch
  std::string env;                   // the CMDAI_* variable of the key, or ""
  std::string help;                  // one line
  std::vector<std::string> choices;  // the allowed values, when there is a fixed set
  Completion completion = Completion::kNone;
  bool TakesValue() const { return !value_name.empty(); }
};

/// Every option, in the order --help lists them.
const std::vector<OptionSpec>& Options();

/// The option spelled `name` ("--model" or "-m"), or nullptr.
const OptionSpec* FindOption(std::string_view name);

struct CommandSpec {
  std::string name;                  // "models"
  std::string usage;                 // "cmdai models list | pull ID | rm ID | path ID"
  std::string summary;               // one line, for the list of subcommands
  std::vector<std::string> actions;  // allowed first words ("list", "pull"…), or empty
  std::string details;               // examples and notes for its --help; may be ""
  std::vector<std::string> options;  // the options its --help lists
};

/// The subcommands, in the order --help lists them.
const std::vector<CommandSpec>& Commands();

/// The subcommand named `name`, or nullptr.
const CommandSpec* FindCommand(std::string_view name);

/// The names of the subcommands.
std::vector<std::string> CommandNames();

/// The help topics `cmdai help TOPIC` knows: the subcommands and "options".
std::vector<std::string> HelpTopics();

/// `cmdai --help`: examples, subcommands, every option, exit status.
std::string MainHelp();

/// Help for one topic (a subcommand, or "options"); "" for an unknown one.
std::string TopicHelp(std::string_view topic);

/// The short usage printed (on stderr) for a bare `cmdai`.
std::string Usage();

/// The options table of docs/cli.md (Markdown), checked by a test.
std::string OptionsMarkdown();

}  // namespace cmdai
