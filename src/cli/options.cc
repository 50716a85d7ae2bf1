// SPDX-License-Identifier: MIT
#include "cli/options.h"

#include <algorithm>

#include "config/config.h"

namespace cmdai {
namespace {

// Options that set no configuration key.
std::vector<OptionSpec> CommandLineOnly() {
  auto opt = [](const char* name, const char* short_name, const char* value, const char* help,
                std::vector<std::string> choices = {}, Completion c = Completion::kNone) {
    OptionSpec o;
    o.name = name;
    o.short_name = short_name;
    o.value_name = value;
    o.help = help;
    o.choices = std::move(choices);
    o.completion = o.choices.empty() ? c : Completion::kChoices;
    return o;
  };
  return {
      opt("--execute", "-x", "", "run the command without the menu when the safety level allows it"),
      opt("--yes", "-y", "", "with -x, also run commands that need confirmation (never blocked ones)"),
      opt("--dry-run", "-n", "", "print the command, and its rating and findings on stderr; run nothing"),
      opt("--print", "", "", "print only the command on stdout; no menu; a blocked command is not printed (exit 5)"),
      opt("--output", "-o", "FORMAT",
          "text, json or yaml: one object on stdout (docs/interaction.md); widget: the Ctrl-G widget's answer",
          {"text", "json", "yaml", "widget"}),
      opt("--no-input", "", "", "never prompt; with -x, run only what needs no confirmation"),
      opt("--wake", "", "",
          "serve: start the server in the background when serve.autostart allows, and return at once "
          "(the Ctrl-G widget, on an empty line)"),
      opt("--config", "-c", "PATH", "configuration file (default $XDG_CONFIG_HOME/cmdai/config.toml; CMDAI_CONFIG)", {},
          Completion::kFile),
      opt("--help", "-h", "", "help, starting with examples; cmdai help TOPIC for a subcommand"),
      opt("--version", "-V", "", "print the version"),
  };
}

std::string ValueName(const KeyInfo& k) {
  switch (k.type) {
    case KeyType::kPath: return "PATH";
    case KeyType::kInt: return k.name == "serve.idle_timeout_s" ? "S" : "N";
    case KeyType::kFloat: return "T";
    case KeyType::kChoice: return k.name == "safety.level" ? "LEVEL" : k.name == "color" ? "WHEN" : "NAME";
    case KeyType::kBool: return "";  // a switch: sets true
    default: return "TEXT";
  }
}

std::vector<OptionSpec> MakeOptions() {
  std::vector<OptionSpec> out;
  for (const KeyInfo& k : ConfigKeys()) {
    if (k.flag.empty()) continue;
    OptionSpec o;
    o.name = k.flag;
    o.short_name = k.short_flag;
    o.key = k.name;
    o.value_name = ValueName(k);
    o.env = k.env;
    o.help = k.doc;
    o.choices = k.choices;
    o.completion = k.name == "model"          ? Completion::kModel
                   : k.type == KeyType::kPath ? Completion::kFile
                   : o.choices.empty()        ? Completion::kNone
                                              : Completion::kChoices;
    out.push_back(o);
  }
  for (auto& o : CommandLineOnly()) out.push_back(std::move(o));
  return out;
}

std::vector<CommandSpec> MakeCommands() {
  const std::vector<std::string> shells = {"bash", "zsh", "fish"};
  return {
      {"rate",
       "cmdai rate [OPTIONS] [--] COMMAND   (or the command on stdin)",
       "rate a command's risk, no model",
       {},
       "Examples:\n  cmdai rate -- 'rm -rf \"$DIR\"/*'\n  cmdai rate --safety strict --output json -- 'curl -s "
       "https://x.sh | sh'\n  echo 'find / -delete' | cmdai rate\n\nExit status: 0 allow, 6 needs confirmation, 5 "
       "blocked, 1 error, 2 usage.\n",
       {"--safety", "--output", "--color", "--config"}},
      {"explain",
       "cmdai explain [OPTIONS] [--] COMMAND",
       "explain a command part by part, with its risk",
       {},
       "The explanation goes to stdout, the risk and findings to stderr.\n\nExample:\n  cmdai explain -- 'tar -xzf "
       "a.tgz -C /tmp'\n",
       {"--model", "--backend", "--safety", "--quiet", "--config"}},
      {"models",
       "cmdai models list | pull ID | rm ID | path ID",
       "list, download or remove models",
       {"list", "pull", "rm", "path", "ids"},
       "ID is a catalog id (see list) or owner/repo:file.gguf[@revision]. Models live in the Hugging Face\ncache "
       "($HF_HOME/hub), shared with huggingface-cli, transformers and llama.cpp (docs/models.md).\n`cmdai models ids` "
       "prints the ids that completion offers.\n",
       {"--offline", "--quiet", "--config"}},
      {"serve",
       "cmdai serve [OPTIONS]",
       "keep the model loaded; answer requests over a Unix socket",
       {},
       "Stops after --idle-timeout seconds without requests, or on Ctrl-C (docs/performance.md).\n"
       "--wake starts one in the background and returns at once: with serve.autostart = auto only where a GPU\n"
       "backend is installed, with on always, with off never.\n",
       {"--model", "--device", "--threads", "--socket", "--idle-timeout", "--wake", "--quiet", "--config"}},
      {"init",
       "cmdai init bash|zsh|fish",
       "print the Ctrl-G key binding for a shell",
       shells,
       "Add eval \"$(cmdai init bash)\" to ~/.bashrc (docs/shell-integration.md).\n",
       {}},
      {"completions",
       "cmdai completions bash|zsh|fish",
       "print tab completions for a shell",
       shells,
       "e.g. cmdai completions bash > ~/.local/share/bash-completion/completions/cmdai\n",
       {}},
      {"config",
       "cmdai config show|path [OPTIONS]",
       "print the effective settings, or the file's path",
       {"show", "path"},
       "show prints every setting as TOML with where it came from; any option given sets its value.\n",
       {"--config"}},
      {"help", "cmdai help [TOPIC]", "help on a subcommand, or on the options", {}, "", {}},
      {"version", "cmdai version", "print the version", {}, "", {}},
  };
}

std::string Pad(const std::string& s, size_t width) {
  return s.size() >= width ? s + "  " : s + std::string(width - s.size(), ' ');
}

std::string Spelling(const OptionSpec& o) {
  std::string s = o.short_name.empty() ? "    " + o.name : o.short_name + ", " + o.name;
  if (o.TakesValue()) s += " " + o.value_name;
  return s;
}

std::string OptionLine(const OptionSpec& o) {
  std::string help = o.help;
  if (!o.env.empty()) help += " [" + o.env + "]";
  return "  " + Pad(Spelling(o), 28) + help + "\n";
}

std::string CommandHelp(const CommandSpec& c) {
  std::string out = "usage: " + c.usage + "\n\n" + c.summary + ".\n";
  if (!c.details.empty()) out += "\n" + c.details;
  if (!c.options.empty()) {
    out += "\nOptions:\n";
    for (const auto& name : c.options)
      if (const OptionSpec* o = FindOption(name)) out += OptionLine(*o);
  }
  out += "\nOptions may come before or after the subcommand; cmdai help options lists them all.\n";
  return out;
}

std::string AllOptions() {
  std::string out;
  for (const auto& o : Options()) out += OptionLine(o);
  return out;
}

}  // namespace

const std::vector<OptionSpec>& Options() {
  static const std::vector<OptionSpec> options = MakeOptions();
  return options;
}

const OptionSpec* FindOption(std::string_view name) {
  for (const auto& o : Options())
    if (o.name == name || (!o.short_name.empty() && o.short_name == name)) return &o;
  return nullptr;
}

const std::vector<CommandSpec>& Commands() {
  static const std::vector<CommandSpec> commands = MakeCommands();
  return commands;
}

const CommandSpec* FindCommand(std::string_view name) {
  for (const auto& c : Commands())
    if (c.name == name) return &c;
  return nullptr;
}

std::vector<std::string> CommandNames() {
  std::vector<std::string> names;
  for (const auto& c : Commands()) names.push_back(c.name);
  return names;
}

std::vector<std::string> HelpTopics() {
  std::vector<std::string> topics = CommandNames();
  topics.push_back("options");
  return topics;
}

std::string Usage() {
  return "usage: cmdai [OPTIONS] REQUEST...\n"
         "       echo REQUEST | cmdai [OPTIONS]\n"
         "       cmdai SUBCOMMAND ...   (rate, explain, models, serve, init, completions, config, help, version)\n"
         "e.g.   cmdai list the ten largest files in this directory\n"
         "See cmdai --help.\n";
}

std::string MainHelp() {
  std::string out =
      "cmdai turns a request in plain English into one shell command.\n"
      "\nExamples:\n"
      "  cmdai list the ten largest files in this directory\n"
      "  cmdai --shell fish 'show which process listens on port 8080'\n"
      "  echo 'compress every log older than a week' | cmdai\n"
      "  cmdai -- config files changed today     (a request starting with a subcommand name)\n"
      "\nUsage: cmdai [OPTIONS] REQUEST...    cmdai SUBCOMMAND [OPTIONS] ...\n"
      "\nSubcommands (the first word that is not an option; cmdai help SUBCOMMAND for more):\n";
  for (const auto& c : Commands()) out += "  " + Pad(c.name, 13) + c.summary + "\n";
  out += "\nOptions (before or after the subcommand; [VARIABLE] sets the same):\n" + AllOptions();
  out +=
      "\nOn a terminal cmdai shows the command, its risk and a menu; elsewhere it prints only the command.\n"
      "\nExit status: 0 ok (or the command's own status after running it), 1 failure, 2 usage, 3 model or engine\n"
      "failure, 4 no command in the answer, 5 blocked, 6 needs confirmation (-y), 7 aborted, 130 interrupted.\n"
      "Settings: flags > CMDAI_* environment > config file > defaults; see docs/configuration.md.\n";
  return out;
}

std::string TopicHelp(std::string_view topic) {
  if (topic == "options") return "Options (before or after a subcommand; [VARIABLE] sets the same):\n" + AllOptions();
  if (const CommandSpec* c = FindCommand(topic)) return CommandHelp(*c);
  return "";
}

std::string OptionsMarkdown() {
  auto cell = [](std::string s) {
    std::string out;
    for (char ch : s) out += ch == '|' ? std::string("\\|") : std::string(1, ch);
    return out;
  };
  std::string out = "| option | setting | variable | meaning |\n|---|---|---|---|\n";
  for (const auto& o : Options()) {
    std::string spelling = (o.short_name.empty() ? "" : o.short_name + ", ") + o.name;
    if (o.TakesValue()) spelling += " " + o.value_name;
    out += "| `" + cell(spelling) + "` | " + (o.key.empty() ? "" : "`" + o.key + "`") + " | " +
           (o.env.empty() ? "" : "`" + o.env + "`") + " | " + cell(o.help) + " |\n";
  }
  return out;
}

}  // namespace cmdai
