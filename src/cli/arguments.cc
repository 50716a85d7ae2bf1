// SPDX-License-Identifier: MIT
#include "cli/arguments.h"

#include <algorithm>

#include "cli/options.h"
#include "common/suggest.h"

namespace cmdai {
namespace {

Status Usage(const std::string& message, const std::string& hint = "see cmdai --help") {
  return Status::Error(ErrorCode::kUsage, message, hint);
}

std::vector<std::string> OptionNames() {
  std::vector<std::string> names;
  for (const auto& o : Options()) {
    names.push_back(o.name);
    if (!o.short_name.empty()) names.push_back(o.short_name);
  }
  return names;
}

// What the options given so far say.
struct Seen {
  bool help = false;
  bool version = false;
  std::string output;
};

// Records one option with its value (empty for a switch).
Status Apply(const OptionSpec& o, const std::string& value, Invocation& inv, Seen& seen) {
  if (!o.choices.empty() && o.key.empty() && std::find(o.choices.begin(), o.choices.end(), value) == o.choices.end()) {
    std::string list;
    for (const auto& c : o.choices) list += (list.empty() ? "" : ", ") + c;
    return Usage(o.name + " '" + value + "' must be one of " + list + DidYouMean(value, o.choices));
  }
  if (!o.key.empty()) {
    inv.config.flags[o.key] = o.TakesValue() ? value : "true";
    return Status::Ok();
  }
  if (o.name == "--execute") inv.execute = true;
  if (o.name == "--yes") inv.yes = true;
  if (o.name == "--dry-run") inv.dry_run = true;
  if (o.name == "--print") inv.print = true;
  if (o.name == "--no-input") inv.no_input = true;
  if (o.name == "--wake") inv.wake = true;
  if (o.name == "--output") seen.output = value;
  if (o.name == "--config") inv.config.config_file = value;
  if (o.name == "--help") seen.help = true;
  if (o.name == "--version") seen.version = true;
  return Status::Ok();
}

// Splits argv into options (applied to `inv`) and words. Options may come
// anywhere before `--`; after it everything is a word. `literal` is the
// index in `words` where words after `--` begin.
Status Scan(const std::vector<std::string>& args, Invocation& inv, Seen& seen, std::vector<std::string>& words,
            size_t& literal) {
  literal = std::string::npos;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      literal = words.size();
      words.insert(words.end(), args.begin() + static_cast<long>(i) + 1, args.end());
      return Status::Ok();
    }
    const bool option = a.size() >= 2 && a[0] == '-' && !(a[1] >= '0' && a[1] <= '9');
    if (!option) {
      words.push_back(a);
      continue;
    }
    if (a[1] == '-') {  // --name or --name=value
      const size_t eq = a.find('=');
      const std::string name = a.substr(0, eq);
      const OptionSpec* o = FindOption(name);
      if (!o)
        return Usage("unknown option '" + name + "'" + DidYouMean(name, OptionNames()),
                     "see cmdai --help; quote a request that contains dashes");
      std::string value;
      if (o->TakesValue()) {
        if (eq != std::string::npos)
          value = a.substr(eq + 1);
        else if (i + 1 < args.size())
          value = args[++i];
        else
          return Usage(name + " needs a value (" + o->value_name + ")");
      } else if (eq != std::string::npos) {
        return Usage(name + " takes no value");
      }
      if (Status s = Apply(*o, value, inv, seen); !s.ok()) return s;
      continue;
    }
    // -x, -vq (bundled switches), -m VALUE or -mVALUE
    for (size_t j = 1; j < a.size(); ++j) {
      const std::string name = std::string("-") + a[j];
      const OptionSpec* o = FindOption(name);
      if (!o) {
        const std::string whole = a.substr(0, a.find('='));
        return Usage("unknown option '" + (j == 1 ? whole : name) + "'" + DidYouMean(whole, OptionNames()),
                     "see cmdai --help; quote a request that contains dashes");
      }
      std::string value;
      if (o->TakesValue()) {
        if (j + 1 < a.size())
          value = a.substr(j + 1);
        else if (i + 1 < args.size())
          value = args[++i];
        else
          return Usage(name + " needs a value (" + o->value_name + ")");
        if (Status s = Apply(*o, value, inv, seen); !s.ok()) return s;
        break;
      }
      if (Status s = Apply(*o, value, inv, seen); !s.ok()) return s;
    }
  }
  return Status::Ok();
}

Result<Invocation> Help(Invocation inv, const std::string& topic) {
  inv.action = Action::kHelp;
  inv.help = TopicHelp(topic);
  if (inv.help.empty())
    return Usage("no help on '" + topic + "'" + DidYouMean(topic, HelpTopics()), "cmdai help lists the topics");
  return inv;
}

// The subcommand's words checked; `inv.words` holds them.
Result<Invocation> Finish(Invocation inv, const CommandSpec& c, const Seen& seen) {
  if (seen.help) return Help(std::move(inv), c.name);
  const auto& w = inv.words;
  const std::string usage = "usage: " + c.usage;
  auto action_ok = [&](const std::string& a) {
    return std::find(c.actions.begin(), c.actions.end(), a) != c.actions.end();
  };
  auto bad_action = [&](const std::string& a) {
    return Usage("unknown " + c.name + " command '" + a + "'" + DidYouMean(a, c.actions), usage);
  };
  if (c.name == "help") {
    if (w.size() > 1) return Usage("cmdai help takes one topic", usage);
    if (w.empty()) {
      inv.action = Action::kHelp;
      inv.help = MainHelp();
      return inv;
    }
    return Help(std::move(inv), w[0]);
  }
  if (c.name == "version") {
    if (!w.empty()) return Usage("cmdai version takes no arguments", usage);
    inv.action = Action::kVersion;
    return inv;
  }
  if (c.name == "init" || c.name == "completions") {
    inv.action = c.name == "init" ? Action::kInit : Action::kCompletions;
    if (w.size() != 1 || !action_ok(w[0]))
      return Usage("usage: cmdai " + c.name + " bash|zsh|fish" +
                       (w.size() == 1 ? std::string(DidYouMean(w[0], c.actions)) : std::string()),
                   c.name == "init" ? "e.g. add eval \"$(cmdai init bash)\" to ~/.bashrc"
                                    : "e.g. cmdai completions bash > ~/.local/share/bash-completion/completions/cmdai");
    return inv;
  }
  if (c.name == "config") {
    if (w.size() != 1) return Usage("usage: cmdai config show|path", "use 'cmdai config show' or 'cmdai config path'");
    if (!action_ok(w[0])) {
      Status bad = Usage("unknown config command '" + w[0] + "'" + DidYouMean(w[0], c.actions),
                         "use 'cmdai config show' or 'cmdai config path'");
      if (!inv.config.config_file) return bad;
      inv.after_config = bad;  // a file named with --config is checked first
    }
    inv.action = w[0] == "show" ? Action::kConfigShow : Action::kConfigPath;
    return inv;
  }
  if (c.name == "models") {
    inv.action = Action::kModels;
    if (!w.empty() && !action_ok(w[0])) return bad_action(w[0]);
    return inv;
  }
  if (c.name == "serve") {
    inv.action = Action::kServe;
    if (!w.empty()) return Usage("cmdai serve takes no request", usage);
    return inv;
  }
  if (c.name == "rate") {
    inv.action = Action::kRate;
    if (inv.output != Output::kText && inv.output != Output::kJson)
      return Usage("cmdai rate --output must be text or json", usage);
    return inv;
  }
  inv.action = Action::kExplain;
  return inv;
}

// A first word that is a likely typo of a subcommand, with at most one more
// word (or a word the subcommand takes): `cmdai confg show`, `cmdai halp`.
std::string MistypedCommand(const std::vector<std::string>& words) {
  if (words.empty() || words.size() > 2) return "";
  const std::string guess = Suggest(words[0], CommandNames());
  if (guess.empty()) return "";
  const CommandSpec* c = FindCommand(guess);
  if (words.size() == 2 && std::find(c->actions.begin(), c->actions.end(), words[1]) == c->actions.end()) return "";
  return guess;
}

}  // namespace

Result<Invocation> ParseArguments(int argc, const char* const* argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  Invocation inv;
  Seen seen;
  std::vector<std::string> words;
  size_t literal = 0;
  if (Status s = Scan(args, inv, seen, words, literal); !s.ok()) return s;
  if (!seen.output.empty())
    inv.output = seen.output == "json"     ? Output::kJson
                 : seen.output == "yaml"   ? Output::kYaml
                 : seen.output == "widget" ? Output::kWidget
                                           : Output::kText;
  if (seen.version) {
    inv.action = Action::kVersion;
    return inv;
  }
  // A subcommand is the first word, unless it came after `--`.
  const CommandSpec* command = !words.empty() && literal != 0 ? FindCommand(words[0]) : nullptr;
  const Status wake_elsewhere = Usage("--wake is an option of cmdai serve", "cmdai serve --wake");
  if (command) {
    inv.words.assign(words.begin() + 1, words.end());
    auto finished = Finish(std::move(inv), *command, seen);
    if (finished.ok() && finished->wake && finished->action != Action::kServe) return wake_elsewhere;
    return finished;
  }
  if (inv.wake && !seen.help) return wake_elsewhere;
  if (seen.help) {
    inv.action = Action::kHelp;
    inv.help = MainHelp();
    return inv;
  }
  if (literal != 0) {
    const std::vector<std::string> before(words.begin(),
                                          literal == std::string::npos ? words.end() : words.begin() + literal);
    if (const std::string guess = MistypedCommand(before); !guess.empty())
      return Usage("unknown command '" + words[0] + "' (did you mean '" + guess + "'?)",
                   "to ask for it as a request, quote it or put it after --: cmdai -- " + words[0]);
  }
  inv.words = std::move(words);
  return inv;
}

}  // namespace cmdai
