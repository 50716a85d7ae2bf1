// SPDX-License-Identifier: MIT
#include "safety/rules.h"

#include <fnmatch.h>

#include <algorithm>
#include <string_view>
#include <unordered_set>

#include "safety/read_only_profiles.h"
#include "safety/rule_util.h"

namespace cmdai::safety {
namespace {

// What a command name that cannot be resolved might be: its arguments are
// rated as if each of these had them, and the worst case counts.
constexpr const char* kStandIns[] = {"rm", "mv", "chmod", "chown", "dd", "mkfs", "shred", "cp", "kill", "truncate"};

// The rules that read a command's own name and arguments.
void CommandRules(detail::RuleInput& in) {
  detail::FileRules(in);
  detail::DiskRules(in);
  detail::ToolRules(in);
  detail::ForgeRules(in);
}

// Rates `c` as each stand-in whose name fits `pattern` (a glob, or "*" for
// any), and keeps the worst finding, saying which name it assumed.
void RateAsWorstCase(const ParsedScript& script, const SimpleCommand& c, int index, const std::string& pattern,
                     std::vector<Finding>& out, std::vector<EmbeddedCode>& code) {
  Finding worst;
  bool any = false;
  for (const char* name : kStandIns) {
    if (fnmatch(pattern.c_str(), name, 0) != 0) continue;
    SimpleCommand as = c;
    as.name = name;
    as.name_word.text = name;
    as.name_word.dynamic = false;
    as.name_word.glob = false;
    std::vector<Finding> found;
    std::vector<EmbeddedCode> ignored;
    detail::RuleInput in{script, as, index, found, &ignored, nullptr};
    CommandRules(in);
    for (const Finding& f : found)
      if (!any || f.risk > worst.risk) {
        worst = f;
        worst.message = "if the command is '" + std::string(name) + "': " + f.message;
        any = true;
      }
  }
  (void)code;
  if (any && worst.risk >= Risk::kHigh) out.push_back(worst);
}

// The words `xargs` (or a `-I{}` template) will add to a command, when the
// previous stage of its pipeline says what they are: `find ROOT` prints
// paths under ROOT, `echo`/`printf` print their literal arguments.
std::vector<Word> StdinArguments(const ParsedScript& script, const SimpleCommand& c) {
  std::vector<Word> out;
  auto split = [&](const std::string& text) {  // names separated by blanks, newlines or NULs
    std::string cur;
    for (size_t i = 0; i <= text.size(); ++i) {
      const bool sep = i == text.size() || text[i] == ' ' || text[i] == '\n' || text[i] == '\t' ||
                       (text[i] == '\\' && i + 1 < text.size() && (text[i + 1] == '0' || text[i + 1] == 'n'));
      if (!sep) {
        cur += text[i];
        continue;
      }
      if (!cur.empty()) {
        Word w;
        w.text = cur;
        w.start = c.start;
        w.end = c.end;
        out.push_back(w);
      }
      cur.clear();
      if (i < text.size() && text[i] == '\\') ++i;
    }
  };
  if (!c.args_from_stdin) return out;
  if (!c.stdin_text.empty()) {  // xargs rm -rf <<< /
    split(c.stdin_text);
    return out;
  }
  if (c.pipeline < 0 || c.pipeline_pos == 0) return out;
  for (const SimpleCommand& prev : script.commands) {
    if (prev.pipeline != c.pipeline || prev.pipeline_pos != c.pipeline_pos - 1 || prev.group != c.group) continue;
    if (prev.name == "find") {
      std::string root;
      bool filtered = false;
      for (const auto& w : prev.args) {
        if (!w.text.empty() && (w.text[0] == '-' || w.text == "(" || w.text == "!")) break;
        if (root.empty()) root = w.dynamic && !NamesHome(w.text) ? "$?" : w.text;
      }
      for (size_t k = 0; k < prev.args.size(); ++k)
        if (IsFindFilter(prev.args[k].text) &&
            !(k + 1 < prev.args.size() && (prev.args[k + 1].text == "*" || prev.args[k + 1].text == "*.*")))
          filtered = true;
      if (root.empty()) root = ".";
      Word w;
      w.text = (root == "/" ? "" : root) + (filtered ? "/{found}" : "/{}");
      w.start = c.start;
      w.end = c.end;
      out.push_back(w);
    } else if (prev.name == "echo" || prev.name == "printf" || prev.name == "ls") {
      // Only the program's own leading options are not printed (echo -n,
      // ls -l): `echo '-rf ~' | xargs rm` and `echo -rf ~ | xargs rm` hand rm
      // the words -rf and ~ (echo knows only -n, -e, -E).
      bool options = true;
      for (const auto& a : prev.args) {
        const std::string& t = a.text;
        bool option = options && t.size() > 1 && t[0] == '-';
        if (prev.name == "echo") option &= t.find_first_not_of("neE", 1) == std::string::npos;
        if (prev.name == "printf") option &= t == "--";
        options &= option;
        if (!option && !(prev.name == "ls" && !t.empty() && t[0] == '-')) split(t);
      }
    } else if (prev.name == "cat" && !prev.stdin_text.empty()) {  // cat <<< '-rf /home' | xargs rm
      split(prev.stdin_text);
    }
  }
  return out;
}

}  // namespace

// Files this script downloads (curl -o F, curl -O URL, wget URL, wget -O F,
// curl URL > F), by the name a later command would use for them.
std::unordered_set<std::string> DownloadedFiles(const ParsedScript& script) {
  std::unordered_set<std::string> out;
  auto add = [&](std::string p) {
    if (p.rfind("./", 0) == 0) p = p.substr(2);
    if (!p.empty() && p != "-" && p != "/dev/stdout") out.insert(p);
  };
  auto url_name = [](const std::string& url) {
    std::string u = url.substr(0, url.find_first_of("?#"));
    return u.substr(u.rfind('/') == std::string::npos ? 0 : u.rfind('/') + 1);
  };
  for (const SimpleCommand& c : script.commands) {
    // Decoded into a file: echo … | base64 -d > x.sh
    if ((c.name == "base64" || c.name == "base32" || c.name == "xxd" || c.name == "openssl" || c.name == "uudecode") &&
        std::any_of(c.args.begin(), c.args.end(), [](const Word& w) {
          return w.text == "-d" || w.text == "--decode" || w.text == "-r" || w.text == "-D";
        }))
      for (const auto& r : c.redirects)
        if (r.op == ">" || r.op == ">>") add(r.target.text);
    if (c.name != "curl" && c.name != "wget" && c.name != "fetch" && c.name != "aria2c") continue;
    bool named = false;
    for (size_t i = 0; i < c.args.size(); ++i) {
      const std::string& t = c.args[i].text;
      if ((t == "-o" || t == "--output" || (c.name == "wget" && (t == "-O" || t == "--output-document"))) &&
          i + 1 < c.args.size()) {
        add(c.args[i + 1].text);
        named = true;
      } else if (t.rfind("--output-document=", 0) == 0) {
        add(t.substr(18));
        named = true;
      } else if (t.size() > 2 && t[0] == '-' && t[1] != '-' &&
                 (t.back() == 'o' || (c.name == "wget" && t.back() == 'O')) && i + 1 < c.args.size()) {
        add(c.args[i + 1].text);  // -sSLo FILE
        named = true;
      }
    }
    for (const auto& r : c.redirects)
      if (r.op == ">" || r.op == ">>") {
        add(r.target.text);
        named = true;
      }
    const bool remote_name =
        c.name == "wget" || c.name == "aria2c" || std::any_of(c.args.begin(), c.args.end(), [](const Word& w) {
          return w.text == "-O" || w.text == "--remote-name" ||
                 (w.text.size() > 2 && w.text[0] == '-' && w.text[1] != '-' && w.text.find('O') != std::string::npos);
        });
    if (!named && remote_name)
      for (const auto& w : c.args)
        if (w.text.find("://") != std::string::npos) add(url_name(w.text));
  }
  return out;
}

bool IsInterpreterName(const std::string& n) { return detail::IsInterpreter(n); }

// The file a command runs as a program or script, if any.
std::string ExecutedFile(const SimpleCommand& c) {
  auto strip = [](std::string p) { return p.rfind("./", 0) == 0 ? p.substr(2) : p; };
  if (c.name_word.text.find('/') != std::string::npos) return strip(c.name_word.text);
  if (IsInterpreterName(c.name) || c.name == "source" || c.name == ".")
    for (const auto& w : c.args) {
      if (w.text.empty() || w.text[0] == '-') continue;
      return strip(w.text);
    }
  return "";
}

void ApplyRules(const ParsedScript& script, std::vector<Finding>& out, std::vector<EmbeddedCode>& code,
                const posix::BlockDevices* disks) {
  const std::unordered_set<std::string> downloads = DownloadedFiles(script);
  std::unordered_set<std::string> own_functions;  // a call of one is rated through its body
  for (const FunctionDef& f : script.functions) own_functions.insert(f.name);
  for (size_t i = 0; i < script.commands.size(); ++i) {
    const SimpleCommand& original = script.commands[i];
    // `find / | xargs rm -rf`: the arguments xargs adds, where known.
    SimpleCommand widened;
    const SimpleCommand* cp = &original;
    if (original.args_from_stdin) {
      std::vector<Word> extra = StdinArguments(script, original);
      if (!extra.empty()) {
        widened = original;
        widened.args.insert(widened.args.end(), extra.begin(), extra.end());
        cp = &widened;
      }
    }
    const SimpleCommand& c = *cp;
    detail::RuleInput in{script, c, static_cast<int>(i), out, &code, disks};
    const size_t before = out.size();
    detail::RedirectRules(in);
    // Assignments (HISTFILE=) apply even without a name, or to `--help`.
    if (!OnlyAsksForHelp(c) || !c.assignments.empty()) detail::SystemRules(in);
    detail::VariableWrites(in);
    if (OnlyAsksForHelp(c)) continue;  // `rm --help`, `LANG=C python3 --version`: print text, do nothing else
    if (c.name.empty() && !c.name_word.dynamic) continue;
    if (!c.remote_host.empty())
      detail::Add(in, "remote.command", Risk::kModerate, "runs on the remote host " + c.remote_host);
    detail::ExecRules(in);
    if (!downloads.empty()) {
      const std::string file = ExecutedFile(c);
      if (!file.empty() && downloads.count(file))
        detail::Add(in, "exec.remote-code", Risk::kCritical,
                    "runs " + file + ", which this command line downloads or decodes, unseen");
    }
    detail::CodeRules(in);
    detail::ExfiltrationRules(in);
    if (c.name_word.dynamic) {
      RateAsWorstCase(script, c, static_cast<int>(i), "*", out, code);
      continue;
    }
    if (c.name_word.glob) {  // /bin/r? -rf /: as bad as the worst name it can match
      RateAsWorstCase(script, c, static_cast<int>(i), c.name, out, code);
      detail::Add(in, "exec.glob-command", Risk::kModerate,
                  "the command name " + c.name_word.text + " is a pattern: what runs depends on the files it matches",
                  c.name_word.start, c.name_word.end);
      continue;
    }
    const size_t before_command_rules = out.size();
    CommandRules(in);
    // The profile is the authority on a command's own effect: when it says
    // the use only reads, a coarse tool rule's moderate "changes" finding
    // (kubectl rollout status, terraform state list) is dropped; high and
    // critical findings always stay. Matched once per command.
    const ProfileVerdict v = MatchReadOnlyProfile(c);
    if (v.read_only)
      out.erase(std::remove_if(out.begin() + static_cast<long>(before_command_rules), out.end(),
                               [](const Finding& f) { return f.risk <= Risk::kModerate; }),
                out.end());
    if (std::find(c.wrappers.begin(), c.wrappers.end(), "nohup") != c.wrappers.end()) {
      bool stdout_redirected = false;
      for (const auto& r : c.redirects) stdout_redirected |= (r.op == ">" || r.op == ">>" || r.op == "&>") && r.fd <= 1;
      if (!stdout_redirected)
        detail::Add(in, "write.file", Risk::kModerate, "nohup writes the command's output to nohup.out");
    }
    if (own_functions.count(c.name)) continue;
    // Safe is earned: without a matching read-only profile, at least moderate.
    if (v.read_only) continue;
    bool flagged = false;
    for (size_t k = before; k < out.size(); ++k)
      flagged |= out[k].command == static_cast<int>(i) && out[k].risk >= Risk::kModerate;
    if (!flagged)
      detail::Add(in, v.known ? "effect.not-read-only" : "unknown.command", Risk::kModerate, v.reason, v.start, v.end);
  }
  // Redirections of compound statements: `{ …; } > /dev/sda`.
  for (const auto& [r, cwd] : script.loose_redirects) {
    SimpleCommand pseudo;
    pseudo.redirects.push_back(r);
    pseudo.cwd = cwd;
    pseudo.start = r.start;
    pseudo.end = r.end;
    detail::RuleInput in{script, pseudo, -1, out, &code};
    detail::RedirectRules(in);
  }
  for (const FunctionDef& f : script.functions) {
    // A function is code stored to run when its name is typed; one that
    // takes the name of a command or of a shell hook changes what those do.
    SimpleCommand named;
    named.name = f.name;
    named.name_word.text = f.name;
    const bool hook = f.name == "command_not_found_handle" || f.name == "command_not_found_handler" ||
                      f.name == "preexec" || f.name == "precmd" || f.name == "chpwd" || f.name == "periodic" ||
                      f.name == "zshexit" || f.name.rfind("fish_", 0) == 0 || f.name.rfind("TRAP", 0) == 0;
    const bool shadows = MatchReadOnlyProfile(named).known || f.name == "sudo" || f.name == "rm" || f.name == "git";
    if (hook || shadows)
      out.push_back({"persist.function-shadows", Risk::kHigh,
                     hook ? "defines the shell hook " + f.name + ", which the shell runs by itself"
                          : "redefines the command '" + f.name + "': typing it will run this code instead",
                     f.start, f.end, -1});
    else
      out.push_back({"persist.function", Risk::kModerate,
                     "defines the function " + f.name + ", code that runs when its name is typed", f.start, f.end, -1});
  }
  for (const FunctionDef& f : script.functions)
    if (f.self_calls >= 2 || (f.self_calls >= 1 && f.backgrounds))
      out.push_back(
          {"process.fork-bomb", Risk::kCritical,
           "the function '" + f.name + "' starts copies of itself without end (a fork bomb), exhausting the machine",
           f.start, f.end, -1});
}

}  // namespace cmdai::safety
