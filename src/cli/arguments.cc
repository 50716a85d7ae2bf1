// SPDX-License-Identifier: MIT
#include "cli/arguments.h"

#include <CLI/CLI.hpp>
#include <algorithm>

#include "common/suggest.h"

namespace cmdai {
namespace {

// Parses args with CLI11 (which wants them reversed). Sets `help` for
// --help; turns CLI11's exceptions into a usage Status: they never leave here.
Status RunCli(CLI::App& app, const std::vector<std::string>& args, const std::string& prefix, const std::string& hint,
              bool& help) {
  std::vector<std::string> rev(args.rbegin(), args.rend());
  try {
    app.parse(rev);
  } catch (const CLI::CallForHelp&) {
    help = true;
  } catch (const CLI::ParseError& e) {
    return Status::Error(ErrorCode::kUsage, prefix + e.what(), hint);
  }
  return Status::Ok();
}

const char* kExamples =
    "cmdai turns a request in plain English into one shell command.\n"
    "\nExamples:\n"
    "  cmdai list the ten largest files in this directory\n"
    "  cmdai --shell fish 'show which process listens on port 8080'\n"
    "  echo 'compress every log older than a week' | cmdai\n"
    "  cmdai -- config files changed today     (a request starting with a subcommand name)\n"
    "\nSubcommands (only as the first argument):\n"
    "  rate -- CMD    rate a command's risk without any model (also from stdin)\n"
    "  explain -- CMD explain a command part by part, with its risk\n"
    "  models list|pull|rm|path   manage downloaded models\n"
    "  serve          keep the model loaded; answer requests over a Unix socket\n"
    "  init SHELL     print the key binding for bash, zsh or fish (Ctrl-G by default)\n"
    "  completions SHELL  print tab completions for bash, zsh or fish\n"
    "  config show    print the effective settings and where each came from\n"
    "  config path    print the configuration file's path\n"
    "\nOn a terminal cmdai shows the command, its risk and a menu; elsewhere it prints only the command.\n"
    "\nExit status: 0 ok (or the command's own status after running it), 1 failure, 2 usage, 3 model or engine\n"
    "failure, 4 no command in the answer, 5 blocked, 6 needs confirmation (-y), 7 aborted, 130 interrupted.\n"
    "Settings: flags > CMDAI_* environment > config file > defaults; see docs/configuration.md.\n";

// Flags that set a configuration key, with the key they set.
struct ValueFlag {
  const char* names;  // CLI11 spec, e.g. "-m,--model"
  const char* key;
  const char* help;
};
const ValueFlag kValueFlags[] = {
    {"-m,--model", "model", "GGUF model file (default: the built-in default model)"},
    {"-s,--shell", "shell", "shell to write the command for: bash, zsh, fish, sh, pwsh (default: $SHELL)"},
    {"--device", "device", "auto, cpu or gpu (default auto)"},
    {"-t,--threads", "threads", "CPU threads (default: one per physical core)"},
    {"--context-size", "context_size", "context window in tokens (default 2048)"},
    {"--max-tokens", "max_tokens", "longest answer in tokens (default 128)"},
    {"--temperature", "temperature", "0 for greedy (default), up to 2"},
    {"--seed", "seed", "sampling seed when temperature > 0 (default 0)"},
    {"--safety", "safety.level", "strict, moderate or permissive (default moderate)"},
    {"--backend", "backend", "embedded, ollama or openai (default embedded)"},
    {"--color", "color", "auto, always or never (default auto; NO_COLOR is honoured)"},
};

std::vector<std::string> KnownOptions() {
  std::vector<std::string> names = {"-x",      "--execute", "-y",        "--yes",      "-n",        "--dry-run",
                                    "--print", "-o",        "--output",  "--no-input", "--offline", "-h",
                                    "--help",  "-V",        "--version", "-v",         "--verbose", "-q",
                                    "--quiet", "-c",        "--config"};
  for (const auto& f : kValueFlags) {
    std::string spec = f.names;
    size_t pos = 0;
    while (pos != std::string::npos) {
      auto comma = spec.find(',', pos);
      names.push_back(spec.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
      pos = comma == std::string::npos ? comma : comma + 1;
    }
  }
  return names;
}

// CLI11 reports an unknown option as an "unexpected argument"; checking first
// lets us name it and suggest the flag that was meant.
Status CheckUnknownOptions(const std::vector<std::string>& args) {
  const auto known = KnownOptions();
  for (const auto& a : args) {
    if (a == "--") break;
    if (a.size() < 2 || a[0] != '-' || (a[1] >= '0' && a[1] <= '9')) continue;
    std::string name = a.substr(0, a.find('='));
    if (name.size() > 2 && name[1] != '-') {  // bundled short flags like -vq
      bool all_short = true;
      for (size_t i = 1; i < name.size(); ++i)
        all_short &= std::find(known.begin(), known.end(), std::string("-") + name[i]) != known.end();
      if (all_short) continue;
    }
    if (std::find(known.begin(), known.end(), name) == known.end())
      return Status::Error(ErrorCode::kUsage, "unknown option '" + name + "'" + DidYouMean(name, known),
                           "see cmdai --help; quote a request that contains dashes");
  }
  return Status::Ok();
}

Result<Invocation> ParseConfigCommand(const std::vector<std::string>& args) {
  Invocation inv;
  CLI::App app{"Show cmdai's configuration.", "cmdai config"};
  std::string what;
  std::string config_file;
  app.add_option("what", what, "show | path")->required();
  app.add_option("-c,--config", config_file, "configuration file to read");
  bool help = false;
  if (Status s = RunCli(app, args, "config: ", "use 'cmdai config show' or 'cmdai config path'", help); !s.ok())
    return s;
  if (help) {
    inv.action = Action::kHelp;
    inv.help = app.help();
    return inv;
  }
  if (what == "show")
    inv.action = Action::kConfigShow;
  else if (what == "path")
    inv.action = Action::kConfigPath;
  else
    return Status::Error(ErrorCode::kUsage,
                         "unknown config command '" + what + "'" + DidYouMean(what, {"show", "path"}),
                         "use 'cmdai config show' or 'cmdai config path'");
  if (!config_file.empty()) inv.config.config_file = config_file;
  return inv;
}

Result<Invocation> ParseRateCommand(const std::vector<std::string>& args) {
  Invocation inv;
  inv.action = Action::kRate;
  CLI::App app{
      "Rate a shell command's risk without any model.\n\n"
      "Examples:\n"
      "  cmdai rate -- 'rm -rf \"$DIR\"/*'\n"
      "  cmdai rate --safety strict --output json -- 'curl -s https://x.sh | sh'\n"
      "  echo 'find / -delete' | cmdai rate\n\n"
      "Exit status: 0 allow, 6 needs confirmation, 5 blocked, 1 error, 2 usage.\n",
      "cmdai rate"};
  std::string safety, output = "text", config_file, color;
  auto* safety_opt = app.add_option("--safety", safety, "strict, moderate or permissive");
  app.add_option("-o,--output", output, "text or json")->check(CLI::IsMember({"text", "json"}));
  auto* config_opt = app.add_option("-c,--config", config_file, "configuration file");
  auto* color_opt = app.add_option("--color", color, "auto, always or never");
  app.add_option("command", inv.words, "the command to rate; quote it, or put it after --");
  bool help = false;
  if (Status s = RunCli(app, args, "rate: ", "put the command after --, e.g. cmdai rate -- 'rm -rf build'", help);
      !s.ok())
    return s;
  if (help) {
    inv.action = Action::kHelp;
    inv.help = app.help();
    return inv;
  }
  inv.output = output == "json" ? Output::kJson : Output::kText;
  if (safety_opt->count() > 0) inv.config.flags["safety.level"] = safety;
  if (color_opt->count() > 0) inv.config.flags["color"] = color;
  if (config_opt->count() > 0) inv.config.config_file = config_file;
  return inv;
}

}  // namespace

Result<Invocation> ParseArguments(int argc, const char* const* argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::vector<std::pair<std::string, std::string>> pending_serve_flags;
  if (!args.empty() && args[0] == "config") return ParseConfigCommand({args.begin() + 1, args.end()});
  if (!args.empty() && args[0] == "rate") return ParseRateCommand({args.begin() + 1, args.end()});
  if (!args.empty() && (args[0] == "init" || args[0] == "completions")) {
    Invocation inv;
    inv.action = args[0] == "init" ? Action::kInit : Action::kCompletions;
    if (args.size() != 2 || (args[1] != "bash" && args[1] != "zsh" && args[1] != "fish"))
      return Status::Error(ErrorCode::kUsage, "usage: cmdai " + args[0] + " bash|zsh|fish",
                           args[0] == "init"
                               ? "e.g. add eval \"$(cmdai init bash)\" to ~/.bashrc"
                               : "e.g. cmdai completions bash > ~/.local/share/bash-completion/completions/cmdai");
    inv.words = {args[1]};
    return inv;
  }
  if (!args.empty() && args[0] == "models") {
    Invocation inv;
    inv.action = Action::kModels;
    for (size_t i = 1; i < args.size(); ++i) {
      if (args[i] == "--offline")
        inv.config.flags["offline"] = "true";
      else if ((args[i] == "-c" || args[i] == "--config") && i + 1 < args.size())
        inv.config.config_file = args[++i];
      else if (args[i] == "-q" || args[i] == "--quiet")
        inv.config.flags["quiet"] = "true";
      else if (args[i] == "-h" || args[i] == "--help") {
        inv.action = Action::kHelp;
        inv.help =
            "usage: cmdai models list | pull ID | rm ID | path ID  [--offline] [-c FILE] [-q]\n\n"
            "ID is a catalog id (see list) or owner/repo:file.gguf[@revision]. Models live in the Hugging Face\n"
            "cache ($HF_HOME/hub), shared with huggingface-cli, transformers and llama.cpp (docs/models.md).\n";
        return inv;
      } else if (!args[i].empty() && args[i][0] == '-')
        return Status::Error(ErrorCode::kUsage, "unknown option '" + args[i] + "' for cmdai models",
                             "see cmdai models --help");
      else
        inv.words.push_back(args[i]);
    }
    return inv;
  }
  bool serve = false;
  if (!args.empty() && args[0] == "serve") {
    serve = true;
    args.erase(args.begin());
    for (size_t i = 0; i < args.size(); ++i)  // serve's own options become settings
      if ((args[i] == "--idle-timeout" || args[i] == "--socket") && i + 1 < args.size()) {
        pending_serve_flags.push_back({args[i] == "--socket" ? "serve.socket" : "serve.idle_timeout_s", args[i + 1]});
        args.erase(args.begin() + static_cast<long>(i), args.begin() + static_cast<long>(i) + 2);
        --i;
      }
  }
  bool explain = false;
  if (!args.empty() && args[0] == "explain") {
    explain = true;
    args.erase(args.begin());
  }
  if (Status s = CheckUnknownOptions(args); !s.ok()) return s;

  Invocation inv;
  CLI::App app{kExamples, "cmdai"};
  std::string values[std::size(kValueFlags)];
  std::vector<CLI::Option*> value_opts;
  for (size_t i = 0; i < std::size(kValueFlags); ++i)
    value_opts.push_back(app.add_option(kValueFlags[i].names, values[i], kValueFlags[i].help));
  std::string config_file;
  auto* config_opt =
      app.add_option("-c,--config", config_file, "configuration file (default $XDG_CONFIG_HOME/cmdai/config.toml)");
  bool verbose = false, quiet = false, version = false;
  auto* verbose_opt = app.add_flag("-v,--verbose", verbose, "print device, model and timings on stderr");
  auto* quiet_opt = app.add_flag("-q,--quiet", quiet, "print nothing but errors on stderr");
  app.add_flag("-V,--version", version, "print the version");
  std::string output = "text";
  app.add_flag("-x,--execute", inv.execute, "run the command without the menu when the safety level allows it");
  app.add_flag("-y,--yes", inv.yes, "with -x, also run commands that need confirmation (never blocked ones)");
  app.add_flag("-n,--dry-run", inv.dry_run, "show the command and its rating; run nothing");
  app.add_flag("--print", inv.print, "print only the command on stdout; no menu");
  app.add_option("-o,--output", output,
                 "text, json or yaml: one object on stdout (docs/cli.md); widget: for cmdai init's hotkey")
      ->check(CLI::IsMember({"text", "json", "yaml", "widget"}));
  app.add_flag("--no-input", inv.no_input, "never prompt; with -x, run only what needs no confirmation");
  bool offline = false;
  auto* offline_opt = app.add_flag("--offline", offline, "never use the network (models must be cached)");
  app.add_option("request", inv.words, "what you want, in plain English");

  bool help = false;
  if (Status s = RunCli(app, args, "", "see cmdai --help", help); !s.ok()) return s;
  if (help) {
    inv.action = Action::kHelp;
    inv.help = app.help();
    return inv;
  }
  if (version) {
    inv.action = Action::kVersion;
    return inv;
  }
  if (explain) inv.action = Action::kExplain;
  if (serve) {
    inv.action = Action::kServe;
    for (const auto& [k, v] : pending_serve_flags) inv.config.flags[k] = v;
    if (!inv.words.empty())
      return Status::Error(ErrorCode::kUsage, "cmdai serve takes no request",
                           "usage: cmdai serve [--idle-timeout S] [--socket PATH] [--model M] [--device D]");
  }
  if (offline_opt->count() > 0) inv.config.flags["offline"] = "true";
  inv.output = output == "json"     ? Output::kJson
               : output == "yaml"   ? Output::kYaml
               : output == "widget" ? Output::kWidget
                                    : Output::kText;
  for (size_t i = 0; i < std::size(kValueFlags); ++i)
    if (value_opts[i]->count() > 0) inv.config.flags[kValueFlags[i].key] = values[i];
  if (verbose_opt->count() > 0) inv.config.flags["verbose"] = verbose ? "true" : "false";
  if (quiet_opt->count() > 0) inv.config.flags["quiet"] = quiet ? "true" : "false";
  if (config_opt->count() > 0) inv.config.config_file = config_file;
  return inv;
}

}  // namespace cmdai
