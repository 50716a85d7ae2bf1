// SPDX-License-Identifier: MIT
#include "ground/grounder.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "ground/dialect.h"
#include "safety/shell_syntax.h"

namespace cmdai::ground {
namespace {

using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

// One argument as the checks see it.
struct Arg {
  std::string text;
  uint32_t start = 0, end = 0;
  bool dynamic = false;
  bool quoted = false;
};

std::vector<Arg> ArgsOf(const std::vector<safety::Word>& words) {
  std::vector<Arg> out;
  for (const auto& w : words) out.push_back({w.text, w.start, w.end, w.dynamic || w.glob, w.quoted});
  return out;
}

// A small word splitter for the text before a wrapped command's name
// ("xargs -0 -n 1", "timeout -s KILL 5"): blanks separate words, quotes and
// backslashes are removed, anything with an expansion is dynamic.
std::vector<Arg> SplitWords(const std::string& text, size_t begin, size_t end) {
  std::vector<Arg> out;
  size_t i = begin;
  while (i < end) {
    while (i < end && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n')) ++i;
    if (i >= end) break;
    Arg a;
    a.start = static_cast<uint32_t>(i);
    while (i < end && text[i] != ' ' && text[i] != '\t' && text[i] != '\n') {
      const char c = text[i];
      if (c == '\\' && i + 1 < end) {
        a.text += text[i + 1];
        i += 2;
      } else if (c == '\'' || c == '"') {
        const size_t close = text.find(c, i + 1);
        const size_t e = close == std::string::npos || close >= end ? end : close;
        a.text += text.substr(i + 1, e - i - 1);
        a.quoted = true;
        if (c == '"' && text.substr(i + 1, e - i - 1).find('$') != std::string::npos) a.dynamic = true;
        i = e + 1;
      } else {
        if (c == '$' || c == '`' || c == '*' || c == '?') a.dynamic = true;
        a.text += c;
        ++i;
      }
    }
    a.end = static_cast<uint32_t>(std::min(i, end));
    out.push_back(std::move(a));
  }
  return out;
}

std::string Basename(const std::string& s) {
  const auto slash = s.rfind('/');
  return slash == std::string::npos ? s : s.substr(slash + 1);
}

bool SafeArgumentName(const std::string& name) {
  if (name.empty() || name.size() > 64 || name[0] == '-' || name[0] == '.') return false;
  for (unsigned char c : name)
    if (!std::isalnum(c) && c != '.' && c != '_' && c != '+' && c != '-') return false;
  return true;
}

std::string Quote(const std::string& s) { return "`" + s + "`"; }

// ---- Option walking --------------------------------------------------------

enum class Style { kGetopt, kStopAtOperand, kFind, kTar, kPs };

Style StyleOf(const std::string& u) {
  if (u == "find") return Style::kFind;
  if (u == "tar") return Style::kTar;
  if (u == "ps") return Style::kPs;
  if (u == "xargs" || u == "timeout" || u == "awk") return Style::kStopAtOperand;
  return Style::kGetopt;
}

// find's operators and the primaries that run a command up to ';' or '+'.
bool FindOperator(const std::string& w) {
  return w == "-a" || w == "-o" || w == "-and" || w == "-or" || w == "-not" || w == "!" || w == "(" || w == ")" ||
         w == ",";
}
bool FindExec(const std::string& w) { return w == "-exec" || w == "-execdir" || w == "-ok" || w == "-okdir"; }

// Looks a sed script ("s/a/b/", "/x/d", "1d", "$d", "y/ab/cd/").
bool LooksLikeSedScript(const std::string& w) {
  if (w.size() >= 2 && (w[0] == 's' || w[0] == 'y') && std::ispunct(static_cast<unsigned char>(w[1])) && w[1] != '.' &&
      w[1] != '-' && w[1] != '_')
    return true;
  if (!w.empty() && w[0] == '/') return true;
  if (w == "$d" || w == "$!N") return true;
  size_t i = 0;
  while (i < w.size() && (std::isdigit(static_cast<unsigned char>(w[i])) || w[i] == ',')) ++i;
  return i > 0 && i + 1 == w.size() && (w[i] == 'd' || w[i] == 'p');
}

}  // namespace

const char* KindName(FindingKind k) {
  switch (k) {
    case FindingKind::kMissing: return "missing";
    case FindingKind::kOption: return "option";
    case FindingKind::kSyntax: return "syntax";
  }
  return "";
}

const std::set<std::string>& CheckedUtilities() {
  static const std::set<std::string> u = {"ls", "find", "sed",    "grep",   "awk",       "xargs",  "sort",
                                          "du", "df",   "stat",   "date",   "readlink",  "cp",     "mv",
                                          "rm", "head", "tail",   "tar",    "ps",        "cut",    "tr",
                                          "wc", "ln",   "mktemp", "base64", "sha256sum", "shasum", "timeout"};
  return u;
}

Grounder::Grounder(GroundOptions options)
    : o_(std::move(options)), resolver_(o_.shell, o_.path, o_.home), cache_(o_.cache_dir.empty() ? "" : o_.cache_dir) {}

ProbeLimits Grounder::Limits() const {
  ProbeLimits l;
  l.timeout_ms = o_.probe_timeout_ms;
  l.max_output = o_.max_output;
  l.path = o_.path.empty() ? "/usr/bin:/bin" : o_.path;
  return l;
}

bool Grounder::BudgetLeft() const { return cache_.stats().run_ms - spent_ms_ < o_.budget_ms; }

const OptionSet* Grounder::OptionsOf(const std::string& utility, bool manual) {
  if (!CheckedUtilities().count(utility)) return nullptr;
  auto it = known_.find(utility);
  if (it == known_.end()) {
    Known k;
    const Resolution r = resolver_.Resolve(utility);
    if (r.kind == NameKind::kExecutable && BudgetLeft()) {
      k.path = r.path;
      const std::vector<std::string> args =
          utility == "ps" ? std::vector<std::string>{"--help", "all"} : std::vector<std::string>{"--help"};
      ProbeResult help = cache_.Get(k.path, args, utility, Limits());
      k.set = ParseHelp(help.output);
      // Every tar takes its modes with a dash too; BusyBox lists them bare ("c|x|t").
      if (utility == "tar")
        for (char mode : {'c', 'x', 't'}) k.set.shorts.emplace(mode, OptionInfo{});
      // mawk answers --help with an error; its help is -W usage.
      if (utility == "awk" && help.output.find("mawk") != std::string::npos && !k.set.shorts_complete) {
        ProbeResult usage = cache_.Get(k.path, {"-W", "usage"}, utility, Limits());
        k.set = ParseHelp(usage.output);
      }
    }
    it = known_.emplace(utility, std::move(k)).first;
  }
  Known& k = it->second;
  if (k.path.empty()) return nullptr;
  if (manual && k.set.wants_manual && !k.manual_tried && BudgetLeft()) {
    k.manual_tried = true;
    const std::string man = resolver_.FindExecutable("man");
    if (!man.empty()) {
      ProbeLimits l = Limits();
      l.timeout_ms = std::max(l.timeout_ms, 1500);  // formatting a page takes longer than --help
      ProbeResult page = cache_.Get(man, {utility}, "man", l, ProbeCache::Identity(k.path));
      if (page.started && !page.timed_out) MergeManual(k.set, page.output);
    }
  }
  return &k.set;
}

std::string Grounder::Userland() {
  const OptionSet* ls = OptionsOf("ls");
  return ls ? FlavorName(ls->flavor) : "";
}

std::string Grounder::PackageHint(const std::string& name) {
  if (auto it = hints_.find(name); it != hints_.end()) return it->second;
  std::string hint;
  // Installed, but not on PATH.
  {
    std::vector<std::string> dirs = o_.extra_dirs;
    if (!o_.home.empty() && o_.home[0] == '/')
      for (const char* d : {"/.local/bin", "/.cargo/bin", "/go/bin"}) dirs.push_back(o_.home + d);
    const auto& on_path = resolver_.Dirs();
    for (const auto& d : dirs) {
      if (std::find(on_path.begin(), on_path.end(), d) != on_path.end()) continue;
      if (SafeArgumentName(name) && IsExecutableFile(d + "/" + name)) {
        hint = "it is installed at " + d + "/" + name + ", which is not on PATH";
        break;
      }
    }
  }
  // Installed under another name: Debian's fdfind and batcat, Homebrew's
  // g-prefixed GNU tools, and the usual stand-ins.
  if (hint.empty()) {
    static const std::map<std::string, std::vector<std::string>> kOther = {
        {"fd", {"fdfind"}},
        {"bat", {"batcat"}},
        {"python", {"python3"}},
        {"pip", {"pip3"}},
        {"sha256sum", {"shasum -a 256"}},
        {"sha1sum", {"shasum"}},
        {"sha512sum", {"shasum -a 512"}},
        {"md5sum", {"md5 -r"}},
        {"tac", {"tail -r"}},
        {"nproc", {"sysctl -n hw.ncpu", "getconf _NPROCESSORS_ONLN"}},
        {"xdg-open", {"open"}},
        {"open", {"xdg-open"}},
        {"pbcopy", {"wl-copy", "xclip -selection clipboard", "xsel -b"}},
        {"ip", {"ifconfig"}},
        {"ifconfig", {"ip addr"}},
    };
    std::vector<std::string> others = {"g" + name};
    if (auto it = kOther.find(name); it != kOther.end())
      others.insert(others.end(), it->second.begin(), it->second.end());
    for (const auto& other : others) {
      const std::string first = other.substr(0, other.find(' '));
      if (first == name || resolver_.FindExecutable(first).empty()) continue;
      hint = other.find(' ') == std::string::npos ? "it is installed here as " + Quote(other)
                                                  : "use " + Quote(other) + " here";
      break;
    }
  }
  // What the system's package tools say, cheaply and offline.
  if (hint.empty() && SafeArgumentName(name) && BudgetLeft()) {
    ProbeLimits l = Limits();
    if (!o_.command_not_found.empty() && IsExecutableFile(o_.command_not_found)) {
      // Debian/Ubuntu: "sudo apt install fd-find" among its lines.
      ProbeResult r = cache_.Get(o_.command_not_found, {"--", name}, "command-not-found", l, name);
      for (const char* verb : {"apt install ", "apt-get install ", "snap install ", "dnf install "}) {
        const auto at = r.output.find(verb);
        if (at == std::string::npos) continue;
        const auto eol = r.output.find('\n', at);
        std::string pkg = r.output.substr(at + std::strlen(verb),
                                          eol == std::string::npos ? std::string::npos : eol - at - std::strlen(verb));
        while (!pkg.empty() && std::isspace(static_cast<unsigned char>(pkg.back()))) pkg.pop_back();
        const std::string tool = std::string(verb).substr(0, std::string(verb).find(' '));
        if (!pkg.empty() && pkg.size() < 80) hint = "install it with: sudo " + tool + " install " + pkg;
        break;
      }
    }
    if (hint.empty()) {
      // Homebrew's command-not-found list: "formula(version):exe exe …".
      const std::string brew = resolver_.FindExecutable("brew");
      if (!brew.empty()) {
        std::error_code ec;
        const auto real = std::filesystem::canonical(brew, ec);
        const auto prefix = (ec ? std::filesystem::path(brew) : real).parent_path().parent_path();
        for (const auto& base : {prefix, prefix / "Homebrew"}) {
          std::ifstream in(base / "Library/Taps/homebrew/homebrew-command-not-found/executables.txt");
          std::string line;
          while (hint.empty() && std::getline(in, line)) {
            const auto colon = line.find(':');
            if (colon == std::string::npos) continue;
            const std::string exes = " " + line.substr(colon + 1) + " ";
            if (exes.find(" " + name + " ") == std::string::npos) continue;
            std::string formula = line.substr(0, colon);
            formula = formula.substr(0, formula.find('('));
            hint = "install it with: brew install " + formula;
          }
          if (!hint.empty()) break;
        }
      }
    }
    if (hint.empty()) {
      // Arch: pkgfile's offline database ("extra/fd").
      const std::string pkgfile = resolver_.FindExecutable("pkgfile");
      if (!pkgfile.empty()) {
        ProbeResult r = cache_.Get(pkgfile, {"-b", name}, "pkgfile", l, name);
        const std::string first = r.output.substr(0, r.output.find('\n'));
        if (r.exit_code == 0 && !first.empty() && first.size() < 80 && first.find(' ') == std::string::npos)
          hint = "install it with: sudo pacman -S " + first.substr(first.find('/') + 1);
      }
    }
  }
  hints_[name] = hint;
  return hint;
}

namespace {

struct Walk {
  Grounder* g;
  std::string utility;
  const std::string* command;
  std::vector<GroundFinding>* out;

  // Whether the option is unsupported: unknown while the kind is complete,
  // confirmed with the manual page first where only a synopsis was seen.
  bool UnsupportedShort(char c) {
    const OptionSet* s = g->OptionsOf(utility);
    if (!s || s->shorts.count(c)) return false;
    if (s->wants_manual) s = g->OptionsOf(utility, true);
    return s && s->shorts_complete && !s->shorts.count(c);
  }
  bool UnsupportedLong(const std::string& name) {
    const OptionSet* s = g->OptionsOf(utility);
    if (!s || KnownLong(*s, name)) return false;
    if (s->wants_manual) s = g->OptionsOf(utility, true);
    return s && s->longs_complete && !KnownLong(*s, name);
  }
  bool UnsupportedWord(const std::string& name) {
    const OptionSet* s = g->OptionsOf(utility);
    if (!s || KnownWord(*s, name)) return false;
    if (s->wants_manual || !s->words_complete) s = g->OptionsOf(utility, true);
    return s && s->words_complete && !KnownWord(*s, name);
  }
  static bool KnownLong(const OptionSet& s, const std::string& name) {
    if (s.longs.count(name)) return true;
    for (const auto& [k, v] : s.longs)  // getopt_long takes an unambiguous prefix
      if (k.rfind(name, 0) == 0) return true;
    return false;
  }
  static bool KnownWord(const OptionSet& s, const std::string& name) {
    if (s.words.count(name)) return true;
    if (name.size() == 1 && s.shorts.count(name[0])) return true;
    // "-newerXY": a placeholder in capitals stands for any letters.
    for (const auto& [k, v] : s.words) {
      size_t caps = k.size();
      while (caps > 0 && std::isupper(static_cast<unsigned char>(k[caps - 1]))) --caps;
      if (caps < k.size() && caps > 0 && name.size() == k.size() && name.compare(0, caps, k, 0, caps) == 0) return true;
    }
    return false;
  }
  Flavor flavor() {
    const OptionSet* s = g->OptionsOf(utility);
    return s ? s->flavor : Flavor::kUnknown;
  }
  std::string Who() {
    const char* f = FlavorName(flavor());
    return *f ? std::string(" (") + f + " " + utility + ")" : "";
  }
  std::string GnuHint() {
    const std::string alt = g->options().path.empty() ? "" : "g" + utility;
    if (flavor() != Flavor::kGnu && !alt.empty() && g->Resolves(alt) && alt != utility)
      return "GNU " + utility + " is installed here as " + Quote(alt);
    return "";
  }

  void Report(const std::string& option, const Arg& a) {
    GroundFinding f;
    f.kind = FindingKind::kOption;
    f.utility = utility;
    f.item = option;
    f.message = Quote(option) + " is not supported by this " + Quote(utility) + Who();
    f.hint = GnuHint();
    f.start = a.start;
    f.end = a.end;
    out->push_back(std::move(f));
  }
  void Note(const std::string& item, const std::string& message, const std::string& hint, const Arg& a) {
    out->push_back({FindingKind::kOption, utility, item, message, hint, a.start, a.end});
  }

  // getopt-style arguments from `i`. Returns the index after the options.
  size_t Getopt(const std::vector<Arg>& args, size_t i, bool stop_at_operand, bool skip_bare = false) {
    const OptionSet* s = g->OptionsOf(utility);
    if (!s) return args.size();
    bool operand_seen = false;
    bool order_reported = false;
    for (; i < args.size(); ++i) {
      const Arg& a = args[i];
      if (a.dynamic) continue;
      if (a.text == "--") return i + 1;
      if (a.text.size() < 2 || a.text[0] != '-') {
        if (skip_bare) continue;
        if (stop_at_operand) return i;
        operand_seen = true;
        continue;
      }
      if (operand_seen && flavor() == Flavor::kBsd) {
        if (!order_reported)
          Note(a.text,
               "this " + Quote(utility) + " (BSD) stops reading options at the first operand: " + Quote(a.text) +
                   " would be taken as a file name",
               "put options before file names", a);
        order_reported = true;
        continue;
      }
      if (a.text[1] == '-') {
        const auto eq = a.text.find('=');
        const std::string name = a.text.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
        if (UnsupportedLong(name)) {
          Report("--" + name, a);
          continue;
        }
        s = g->OptionsOf(utility);
        if (auto it = s->longs.find(name);
            it != s->longs.end() && it->second.arity == Arity::kRequired && eq == std::string::npos)
          ++i;
        continue;
      }
      // A cluster of short options.
      const std::string& t = a.text;
      if (std::all_of(t.begin() + 1, t.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) &&
          !g->OptionsOf(utility)->shorts.count(t[1]))
        continue;  // -5: the old numeric form of head, tail, grep
      for (size_t k = 1; k < t.size(); ++k) {
        const char c = t[k];
        if (UnsupportedShort(c)) {
          Report(std::string("-") + c, a);
          break;
        }
        s = g->OptionsOf(utility);
        auto it = s->shorts.find(c);
        if (it == s->shorts.end()) break;  // not known to be unsupported, but its value is unknown
        if (it->second.arity == Arity::kOptionalAttached) break;
        if (it->second.arity == Arity::kRequired) {
          if (k + 1 == t.size()) ++i;  // the value is the next word
          break;
        }
      }
    }
    return args.size();
  }

  void Find(const std::vector<Arg>& args) {
    const OptionSet* s = g->OptionsOf(utility);
    if (!s) return;
    size_t i = 0;
    // Leading options: -H -L -P (both), -E -X -d -s -x -f PATH (BSD), -D X -O N (GNU).
    while (i < args.size()) {
      const Arg& a = args[i];
      if (a.dynamic || a.text.size() < 2 || a.text[0] != '-' || a.text == "--") break;
      if (KnownWord(*s, a.text.substr(1)) && a.text.size() > 2) break;  // a primary: the expression starts
      bool all_short = true;
      for (size_t k = 1; k < a.text.size(); ++k) all_short &= s->shorts.count(a.text[k]) > 0;
      if (!all_short || a.text.size() > 4) break;
      const char last = a.text.back();
      const auto it = s->shorts.find(last);
      ++i;
      if (a.text.size() == 2 && it != s->shorts.end() && it->second.arity == Arity::kRequired) ++i;
    }
    if (i < args.size() && args[i].text == "--") ++i;
    const size_t paths_start = i;
    while (i < args.size() &&
           (args[i].dynamic || args[i].text.empty() || (args[i].text[0] != '-' && !FindOperator(args[i].text))))
      ++i;
    if (i == paths_start && flavor() == Flavor::kBsd) {
      Arg where = i < args.size() ? args[i] : Arg{};
      Note("find", "this " + Quote("find") + " (BSD) needs a starting directory", "write find . …", where);
    }
    for (; i < args.size(); ++i) {
      const Arg& a = args[i];
      if (a.dynamic || FindOperator(a.text)) continue;
      if (FindExec(a.text)) {
        while (i + 1 < args.size() && args[i + 1].text != ";" && args[i + 1].text != "+") ++i;
        ++i;
        continue;
      }
      if (a.text.size() < 2 || a.text[0] != '-' || !std::isalpha(static_cast<unsigned char>(a.text[1]))) continue;
      bool plain = true;
      for (size_t k = 1; k < a.text.size(); ++k)
        plain &= std::isalnum(static_cast<unsigned char>(a.text[k])) || a.text[k] == '_';
      if (!plain) continue;
      const std::string name = a.text.substr(1);
      if (UnsupportedWord(name)) {
        Report(a.text, a);
        continue;
      }
      s = g->OptionsOf(utility);
      if (auto it = s->words.find(name); it != s->words.end()) i += static_cast<size_t>(it->second.values);
    }
  }

  void Tar(const std::vector<Arg>& args) {
    size_t i = 0;
    if (!args.empty() && !args[0].dynamic && !args[0].text.empty() && args[0].text[0] != '-' &&
        std::all_of(args[0].text.begin(), args[0].text.end(),
                    [](char c) { return std::isalpha(static_cast<unsigned char>(c)); })) {
      // The old form: "czf out.tgz dir" — letters whose values follow in order.
      int values = 0;
      for (char c : args[0].text) {
        if (UnsupportedShort(c)) {
          Report(std::string("-") + c, args[0]);
          break;
        }
        const OptionSet* s = g->OptionsOf(utility);
        if (!s) return;
        if (auto it = s->shorts.find(c); it != s->shorts.end() && it->second.arity == Arity::kRequired) ++values;
      }
      i = 1 + static_cast<size_t>(values);
    }
    Getopt(args, i, false);
  }

  void Sed(const std::vector<Arg>& args) {
    const OptionSet* s = g->OptionsOf(utility);
    if (!s) return;
    const auto it = s->shorts.find('i');
    if (it == s->shorts.end()) return;
    for (size_t i = 0; i + 1 < args.size(); ++i) {
      if (args[i].text != "-i") continue;
      const Arg& next = args[i + 1];
      if (it->second.arity == Arity::kOptionalAttached && next.text.empty() && next.quoted)
        Note("-i ''",
             "this " + Quote("sed") + Who() + " takes no separate suffix after " + Quote("-i") + ": " + Quote("''") +
                 " would be read as the script",
             "write sed -i (no suffix), or attach one: sed -i.bak", next);
      else if (it->second.arity == Arity::kRequired && !next.dynamic && LooksLikeSedScript(next.text))
        Note("-i",
             "this " + Quote("sed") + Who() + " needs a suffix after " + Quote("-i") + ": " + Quote(next.text) +
                 " would be read as the suffix",
             "write sed -i '' '…'", args[i]);
      break;
    }
  }
};

}  // namespace

GroundResult Grounder::Check(const std::string& command) {
  const auto start = Clock::now();
  const ProbeStats before = cache_.stats();
  spent_ms_ = before.run_ms;
  GroundResult result;
  if (o_.shell == "pwsh" || command.empty()) return result;
  const safety::ParsedScript parsed = safety::ParseShell(command);

  for (auto& d : CheckDialect(command, parsed, o_.shell, o_.shell_version))
    result.findings.push_back(
        {FindingKind::kSyntax, o_.shell, d.text, std::move(d.message), std::move(d.hint), d.start, d.end});

  // Names the command itself makes: its functions and aliases.
  std::set<std::string> own;
  for (const auto& f : parsed.functions) own.insert(f.name);
  for (const auto& c : parsed.commands)
    if (c.name == "alias")
      for (const auto& a : c.args) own.insert(a.text.substr(0, a.text.find('=')));

  std::set<std::string> checked_names;
  std::vector<GroundFinding> option_findings;
  for (const auto& c : parsed.commands) {
    if (!RunsHereNow(c)) continue;  // stored for later, or run on another host
    ++result.stats.commands;

    // Existence: the wrappers that run it, then the command itself.
    struct Name {
      std::string name;
      uint32_t start, end;
    };
    std::vector<Name> names;
    for (const auto& w : c.wrappers) {
      const std::string first = w.substr(0, w.find(' '));
      if (first == "find" || first.find('/') != std::string::npos || first.empty()) continue;
      names.push_back({first, c.start, c.start});
    }
    if (!c.name.empty() && !c.name_word.dynamic && c.name_word.text.find('/') == std::string::npos)
      names.push_back({c.name, c.name_word.start, c.name_word.end});
    for (const auto& n : names) {
      if (own.count(n.name) || !checked_names.insert(n.name).second) continue;
      if (resolver_.Resolves(n.name)) continue;
      // Another shell's builtin (`source` in sh, `mapfile` in zsh) is the
      // dialect's finding, not a missing program.
      bool builtin_elsewhere = false;
      for (const char* sh : {"bash", "zsh", "fish", "sh"})
        builtin_elsewhere |= IsShellBuiltin(sh, n.name) || IsShellKeyword(sh, n.name);
      if (builtin_elsewhere) continue;
      GroundFinding f;
      f.kind = FindingKind::kMissing;
      f.utility = n.name;
      f.item = n.name;
      f.message = Quote(n.name) + " is not installed";
      f.hint = PackageHint(n.name);
      f.start = n.start;
      f.end = n.end;
      result.findings.push_back(std::move(f));
    }

    // Options of the wrappers this machine checks (xargs, timeout): the
    // words between the wrapper's name and the command it runs.
    if (!c.wrappers.empty() && c.start <= command.size()) {
      const size_t region_end = c.name.empty() ? std::min<size_t>(c.end, command.size())
                                               : std::min<size_t>(c.name_word.start, command.size());
      if (region_end > c.start) {
        const std::vector<Arg> words = SplitWords(command, c.start, region_end);
        for (size_t k = 0; k < words.size(); ++k) {
          const std::string w = Basename(words[k].text);
          if ((w != "xargs" && w != "timeout") || own.count(w)) continue;
          const Resolution r = resolver_.Resolve(w);
          if (r.kind != NameKind::kExecutable) continue;
          std::vector<Arg> rest(words.begin() + static_cast<long>(k) + 1, words.end());
          Walk walk{this, w, &command, &option_findings};
          walk.Getopt(rest, 0, true);
        }
      }
    }

    // Options of the command itself.
    if (c.name.empty() || c.name_word.dynamic || own.count(c.name) || !CheckedUtilities().count(c.name)) continue;
    if (c.name_word.text.find('/') != std::string::npos) continue;  // a path: not the PATH's program
    if (resolver_.Resolve(c.name).kind != NameKind::kExecutable) continue;
    const OptionSet* set = OptionsOf(c.name);
    if (!set) continue;
    if (c.name == "ps" && set->flavor == Flavor::kBusyBox) continue;  // BusyBox ps ignores what it does not know
    const std::vector<Arg> args = ArgsOf(c.args);
    Walk walk{this, c.name, &command, &option_findings};
    switch (StyleOf(c.name)) {
      case Style::kFind: walk.Find(args); break;
      case Style::kTar: walk.Tar(args); break;
      case Style::kPs: walk.Getopt(args, 0, false, /*skip_bare=*/true); break;
      case Style::kStopAtOperand: walk.Getopt(args, 0, true); break;
      case Style::kGetopt:
        walk.Getopt(args, 0, false);
        if (c.name == "sed") walk.Sed(args);
        break;
    }
  }
  // One finding per utility and option.
  std::set<std::string> seen;
  for (auto& f : option_findings)
    if (seen.insert(f.utility + "\n" + f.item + "\n" + f.message).second) result.findings.push_back(std::move(f));

  const ProbeStats& after = cache_.stats();
  result.stats.probes_run = after.runs - before.runs;
  result.stats.probes_cached = (after.disk_hits - before.disk_hits) + (after.memory_hits - before.memory_hits);
  result.stats.ms = MsSince(start);
  return result;
}

std::string DetectShellVersion(const std::string& shell, const std::string& path, const std::string& cache_dir) {
  if (shell != "bash" && shell != "zsh" && shell != "fish") return "";
  Resolver resolver(shell, path, "");
  const std::string program = resolver.FindExecutable(shell);
  if (program.empty()) return "";
  ProbeCache cache(cache_dir);
  ProbeLimits l;
  l.path = path;
  l.max_output = 4096;
  const ProbeResult r = cache.Get(program, {"--version"}, shell, l);
  // "GNU bash, version 5.2.15(1)-release", "zsh 5.9 (x86_64-…)", "fish, version 3.6.0"
  const std::string first = r.output.substr(0, r.output.find('\n'));
  size_t at = first.find("version ");
  at = at == std::string::npos ? first.find(' ') : at + 7;
  if (at == std::string::npos) return "";
  while (at < first.size() && first[at] == ' ') ++at;
  size_t end = at;
  while (end < first.size() && (std::isdigit(static_cast<unsigned char>(first[end])) || first[end] == '.')) ++end;
  return end > at && std::isdigit(static_cast<unsigned char>(first[at])) ? first.substr(at, end - at) : "";
}

std::string DetectUserland(const std::string& path, const std::string& cache_dir) {
  GroundOptions o;
  o.path = path;
  o.cache_dir = cache_dir;
  Grounder g(o);
  return g.Userland();
}

std::string RevisionFeedback(const std::vector<GroundFinding>& findings, const std::string& userland,
                             const std::string& shell, const std::string& shell_version) {
  std::string out = "That command does not fit this machine:";
  for (const auto& f : findings) {
    std::string line;
    switch (f.kind) {
      case FindingKind::kMissing: line = Quote(f.utility) + " is not installed here"; break;
      case FindingKind::kOption:
        line = f.message.rfind(Quote(f.item) + " is not supported", 0) == 0
                   ? Quote(f.utility) + " here does not accept " + Quote(f.item)
                   : f.message;
        break;
      case FindingKind::kSyntax: line = f.message; break;
    }
    if (!f.hint.empty()) line += " (" + f.hint + ")";
    out += "\n- " + line;
  }
  std::string system;
  if (!userland.empty()) system = "this is a " + userland + " userland";
  if (!shell.empty())
    system += (system.empty() ? "the shell is " : ", the shell ") + shell +
              (shell_version.empty() ? "" : " " + shell_version);
  if (!system.empty()) out += "\nOn this machine " + system + ".";
  out += "\nUse only tools, options and syntax that exist here.";
  return out;
}

}  // namespace cmdai::ground
