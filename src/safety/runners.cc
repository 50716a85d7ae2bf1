// SPDX-License-Identifier: MIT
// The tables of runners: programs that run their arguments, options whose
// values are commands, stored code, and variables whose values run.
#include "safety/runners.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string_view>

#include "safety/rule_util.h"

namespace cmdai::safety {
namespace {

bool In(std::string_view s, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

bool IsOpt(const Word& w) { return w.text.size() > 1 && w.text[0] == '-'; }

// The first word after options; `values` lists options that take the next word.
size_t FirstOperand(const std::vector<Word>& a, size_t i, std::initializer_list<std::string_view> values) {
  while (i < a.size()) {
    const std::string& t = a[i].text;
    if (t == "--") return i + 1;
    if (!IsOpt(a[i])) return i;
    i += (t.find('=') == std::string::npos && In(t, values)) ? 2 : 1;
  }
  return i;
}

CodeRef Shell(const std::string& label, Word code, const std::string& rule, Risk risk, const std::string& message) {
  CodeRef r;
  r.kind = CodeRef::Kind::kShellCode;
  r.label = label;
  r.code = std::move(code);
  r.rule = rule;
  r.risk = risk;
  r.message = message;
  return r;
}

// sed's scripts: every -e/--expression value (attached, separate, or a GNU
// abbreviation such as --expr=), else its first operand. -i takes its
// suffix attached (-ie is in place with suffix "e"); -f/-l take a value.
std::vector<Word> SedScripts(const std::vector<Word>& a) {
  std::vector<Word> scripts;
  int first_operand = -1;
  for (size_t i = 0; i < a.size(); ++i) {
    const std::string& t = a[i].text;
    if (t == "--") {
      if (first_operand < 0 && i + 1 < a.size()) first_operand = static_cast<int>(i + 1);
      break;
    }
    if (t.rfind("--", 0) == 0) {
      const std::string name = t.substr(0, t.find('='));
      const bool expression = name.size() >= 3 && std::string("--expression").rfind(name, 0) == 0;
      const bool file = name.size() >= 4 && (std::string("--file").rfind(name, 0) == 0);
      if (expression && name.size() < t.size()) {
        Word w = a[i];
        w.text = t.substr(name.size() + 1);
        scripts.push_back(w);
      } else if ((expression || file || name == "--line-length") && name.size() == t.size() && i + 1 < a.size()) {
        if (expression) scripts.push_back(a[i + 1]);
        ++i;
      }
      continue;
    }
    if (t.size() > 1 && t[0] == '-') {
      for (size_t k = 1; k < t.size(); ++k) {
        const char f = t[k];
        if (f == 'i') break;  // -i[SUFFIX]
        if (f != 'e' && f != 'f' && f != 'l') continue;
        if (k + 1 < t.size()) {  // -e'SCRIPT' glued
          if (f == 'e') {
            Word w = a[i];
            w.text = t.substr(k + 1);
            scripts.push_back(w);
          }
        } else if (i + 1 < a.size()) {
          if (f == 'e') scripts.push_back(a[i + 1]);
          ++i;
        }
        break;
      }
      continue;
    }
    if (first_operand < 0) first_operand = static_cast<int>(i);
  }
  if (scripts.empty() && first_operand >= 0) scripts.push_back(a[first_operand]);
  return scripts;
}

// The shell commands a sed script runs: `e CMD` (after any address, blanks
// allowed), `s/RE/REPL/e` (the replacement's result runs), and a bare `e`,
// which runs each input line. Read command by command, so text inside a
// regular expression, a replacement or an a/i/c text is never a command.
void SedScriptCode(const Word& w, std::vector<CodeRef>& out) {
  const std::string& t = w.text;
  size_t i = 0;
  auto blank = [&] {
    while (i < t.size() && (t[i] == ' ' || t[i] == '\t')) ++i;
  };
  auto delimited = [&](char d) {  // from just after an opening d to just after its closing d
    while (i < t.size() && t[i] != d) i += (t[i] == '\\' && i + 1 < t.size()) ? 2 : 1;
    if (i < t.size()) ++i;
  };
  auto address = [&] {
    if (i >= t.size()) return;
    if (std::isdigit(static_cast<unsigned char>(t[i])) || t[i] == '+' || t[i] == '~') {
      ++i;
      while (i < t.size() && (std::isdigit(static_cast<unsigned char>(t[i])) || t[i] == '~')) ++i;
    } else if (t[i] == '$') {
      ++i;
    } else if (t[i] == '/' || (t[i] == '\\' && i + 1 < t.size())) {
      const char d = t[i] == '/' ? '/' : t[i + 1];
      i += t[i] == '/' ? 1 : 2;
      delimited(d);
      while (i < t.size() && (t[i] == 'I' || t[i] == 'M')) ++i;
    }
  };
  auto line_end = [&](const char* stops) {
    const size_t e = t.find_first_of(stops, i);
    return e == std::string::npos ? t.size() : e;
  };
  while (i < t.size()) {
    while (i < t.size() && std::strchr(" \t\n;}", t[i])) ++i;
    if (i >= t.size()) break;
    address();
    blank();
    if (i < t.size() && t[i] == ',') {
      ++i;
      blank();
      address();
      blank();
    }
    while (i < t.size() && (t[i] == '!' || t[i] == ' ')) ++i;
    if (i >= t.size()) break;
    const char cmd = t[i++];
    if (cmd == '{') continue;
    if (cmd == 's' && i < t.size()) {
      const char d = t[i++];
      delimited(d);
      const size_t repl = i;
      delimited(d);
      const size_t repl_end = i > repl ? i - 1 : repl;
      const size_t flags = i;
      i = line_end(";\n}");
      const std::string f = t.substr(flags, i - flags);
      const size_t wpos = f.find('w');  // s///w FILE: the rest is a file name
      if (f.substr(0, wpos).find('e') != std::string::npos) {
        std::string clean;
        for (size_t k = repl; k < repl_end; ++k) {
          if (t[k] == '\\' && k + 1 < repl_end) ++k;
          clean += t[k];
        }
        out.push_back(Shell("sed s///e", SubWord(w, repl, clean), "exec.option", Risk::kHigh,
                            "sed runs the result of the substitution as a shell command"));
      }
      if (wpos != std::string::npos) i = line_end("\n");
    } else if (cmd == 'y' && i < t.size()) {
      const char d = t[i++];
      delimited(d);
      delimited(d);
    } else if (cmd == 'e') {
      blank();
      const size_t e = line_end("\n");
      if (e == i) {  // a bare e runs the pattern space: each line sed reads
        CodeRef r = Shell("sed e", SubWord(w, i, ":"), "exec.option", Risk::kHigh,
                          "sed runs each line it reads as a shell command");
        r.code.dynamic = true;
        out.push_back(r);
      } else {
        out.push_back(
            Shell("sed e", SubWord(w, i, t.substr(i, e - i)), "exec.option", Risk::kHigh, "sed runs a shell command"));
      }
      i = e;
    } else if (std::strchr("aicrRwW:#", cmd)) {  // text, a file name or a comment, to the end of the line
      i = line_end("\n");
    } else if (std::strchr("btTqQlL", cmd)) {  // a label or a number, to ; or the line's end
      i = line_end(";\n}");
    }
  }
}

CodeRef Words(const std::string& label, size_t first, bool replaces, bool privileged = false) {
  CodeRef r;
  r.kind = CodeRef::Kind::kCommandWords;
  r.label = label;
  r.first = first;
  r.replaces = replaces;
  r.privileged = privileged;
  return r;
}

// Joins args[first…] into one word of shell code (what `watch`, `sg` and
// tmux hand to `sh -c`).
Word Joined(const std::vector<Word>& a, size_t first) {
  Word w;
  if (first >= a.size()) return w;
  w = a[first];
  for (size_t k = first + 1; k < a.size(); ++k) {
    w.text += " " + a[k].text;
    w.dynamic |= a[k].dynamic;
    w.end = a[k].end;
    w.content_offset = -1;
    w.substitutions.insert(w.substitutions.end(), a[k].substitutions.begin(), a[k].substitutions.end());
  }
  return w;
}

// Lisp and ex commands: the shell code or deletions they hold.
std::vector<std::pair<size_t, std::string>> QuotedArgsOf(const std::string& s, std::string_view fn) {
  std::vector<std::pair<size_t, std::string>> out;
  size_t p = 0;
  while ((p = s.find(fn, p)) != std::string::npos) {
    size_t q = s.find('"', p + fn.size());
    if (q == std::string::npos) break;
    size_t e = q + 1;
    std::string text;
    while (e < s.size() && s[e] != '"') {
      if (s[e] == '\\' && e + 1 < s.size()) ++e;
      text += s[e++];
    }
    out.push_back({q + 1, text});
    p = e;
  }
  return out;
}

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char ch : s) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return out + "'";
}

void Editor(const SimpleCommand& c, std::vector<CodeRef>& out) {
  const auto& a = c.args;
  for (size_t i = 0; i < a.size(); ++i) {
    Word cmd;
    const std::string& t = a[i].text;
    if ((t == "-c" || t == "--cmd") && i + 1 < a.size())
      cmd = a[++i];
    else if (t.size() > 1 && t[0] == '+')
      cmd = SubWord(a[i], 1, t.substr(1));
    else
      continue;
    std::string ex = cmd.text;
    size_t k = ex.find_first_not_of(": ");
    if (k == std::string::npos) continue;
    for (std::string_view bang :
         {"!", "r !", "r!", "read !", "w !", "w!!", "silent !", "silent!", "terminal ", "term "})
      if (ex.compare(k, bang.size(), bang) == 0) {
        out.push_back(Shell(c.name + " -c", SubWord(cmd, k + bang.size(), ex.substr(k + bang.size())), "exec.option",
                            Risk::kHigh, c.name + " runs a shell command from its command line"));
        k = std::string::npos;
        break;
      }
    if (k == std::string::npos) continue;
    for (const auto& [pos, code] : QuotedArgsOf(ex, "system("))
      out.push_back(Shell(c.name + " -c", SubWord(cmd, pos, code), "exec.option", Risk::kHigh,
                          c.name + " runs a shell command from its command line"));
    // :w FILE, :wq FILE, :sav FILE: a write to that file.
    for (std::string_view w : {"w! ", "w ", "wq ", "wq! ", "x ", "sav ", "saveas ", "write "})
      if (ex.compare(k, w.size(), w) == 0) {
        CodeRef r =
            Shell(c.name + " -c", SubWord(cmd, 0, ": > " + Quote(ex.substr(k + w.size()))), "", Risk::kSafe, "");
        out.push_back(r);
        break;
      }
  }
}

void Git(const SimpleCommand& c, std::vector<CodeRef>& out) {
  const auto& a = c.args;
  size_t i = 0;
  std::string sub;
  for (; i < a.size(); ++i) {
    const std::string& t = a[i].text;
    if (t == "-C" || t == "--git-dir" || t == "--work-tree" || t == "--namespace") {
      ++i;
      continue;
    }
    if (t == "-c" && i + 1 < a.size()) {
      const Word& kv = a[++i];
      const size_t eq = kv.text.find('=');
      const std::string key = kv.text.substr(0, eq);
      if (eq != std::string::npos && GitConfigKeyRuns(key)) {
        std::string value = kv.text.substr(eq + 1);
        size_t skip = eq + 1;
        const bool alias = key.rfind("alias.", 0) == 0;
        if (alias && !value.empty() && value[0] == '!') ++skip;
        if (!alias || (kv.text.size() > eq + 1 && kv.text[eq + 1] == '!'))
          out.push_back(Shell("git -c " + key, SubWord(kv, skip, kv.text.substr(skip)), "exec.option", Risk::kHigh,
                              "git -c " + key + " makes git run a program"));
      }
      continue;
    }
    if (IsOpt(a[i])) continue;
    sub = t;
    break;
  }
  auto opt_code = [&](std::initializer_list<std::string_view> names, const std::string& what) {
    for (size_t k = i + 1; k < a.size(); ++k) {
      Word v;
      if (OptionValue(a, k, names, &v))
        out.push_back(Shell("git " + sub + " " + std::string(*names.begin()), v, "exec.option", Risk::kHigh,
                            "git " + sub + " " + what));
    }
  };
  if (sub == "clone" || sub == "fetch" || sub == "pull" || sub == "ls-remote" || sub == "push" || sub == "archive") {
    if (sub == "clone")
      opt_code({"--upload-pack", "-u", "--receive-pack", "--exec"}, "runs the given program");
    else
      opt_code({"--upload-pack", "--receive-pack", "--exec"}, "runs the given program");
    for (size_t k = i + 1; k < a.size(); ++k)
      if (a[k].text.rfind("ext::", 0) == 0)
        out.push_back(Shell("git ext::", SubWord(a[k], 5, a[k].text.substr(5)), "exec.option", Risk::kHigh,
                            "the ext:: transport runs a command"));
  }
  if (sub == "difftool" || sub == "mergetool") opt_code({"--extcmd", "-x"}, "runs the given program");
  if (sub == "grep") opt_code({"--open-files-in-pager", "-O"}, "runs the given program");
  if (sub == "rebase") opt_code({"--exec", "-x"}, "runs the given command after each commit");
  if (sub == "filter-branch")
    opt_code({"--tree-filter", "--index-filter", "--msg-filter", "--env-filter", "--commit-filter", "--parent-filter",
              "--tag-name-filter"},
             "runs the given command on every commit");
  if ((sub == "submodule" && i + 1 < a.size() && a[i + 1].text == "foreach") ||
      (sub == "bisect" && i + 1 < a.size() && a[i + 1].text == "run")) {
    const size_t first = FirstOperand(a, i + 2, {});
    if (first < a.size())
      out.push_back(Shell("git " + sub + " " + a[i + 1].text, Joined(a, first), "exec.option", Risk::kHigh,
                          "git " + sub + " " + a[i + 1].text + " runs the given command"));
  }
  if (sub == "config") {  // stored: a key git will run later
    std::vector<const Word*> ops;
    for (size_t k = i + 1; k < a.size(); ++k)
      if (!IsOpt(a[k])) ops.push_back(&a[k]);
    const bool plain_alias = ops.size() >= 2 && ops[0]->text.rfind("alias.", 0) == 0 && ops[1]->text.rfind('!', 0) != 0;
    if (ops.size() >= 2 && GitConfigKeyRuns(ops[0]->text) && !plain_alias) {
      size_t skip = ops[1]->text.rfind('!', 0) == 0 ? 1 : 0;
      out.push_back(Shell("git config " + ops[0]->text, SubWord(*ops[1], skip, ops[1]->text.substr(skip)),
                          "persist.git-config", Risk::kHigh,
                          "sets " + ops[0]->text + ", a program git will run later"));
    }
  }
}

void Ssh(const SimpleCommand& c, std::vector<CodeRef>& out) {
  const auto& a = c.args;
  for (size_t i = 0; i < a.size(); ++i) {
    Word v;
    if (!OptionValue(a, i, {"-o"}, &v)) continue;
    std::string key = v.text.substr(0, v.text.find_first_of("= "));
    std::string lower = key;
    for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const size_t sep = v.text.find_first_of("= ");
    if (sep == std::string::npos) continue;
    size_t start = v.text.find_first_not_of("= ", sep);
    if (start == std::string::npos) continue;
    Word code = SubWord(v, start, v.text.substr(start));
    if (lower == "proxycommand" || lower == "localcommand" || lower == "knownhostscommand")
      out.push_back(Shell(c.name + " -o " + key, code, "exec.option", Risk::kHigh,
                          c.name + " -o " + key + " runs a command on this machine"));
    else if (lower == "remotecommand") {
      CodeRef r = Shell(c.name + " -o " + key, code, "", Risk::kSafe, "");
      r.kind = CodeRef::Kind::kRemoteCode;
      out.push_back(r);
    }
  }
}

}  // namespace

std::vector<CodeRef> FindRunnersOf(const SimpleCommand& c);

bool GitConfigKeyRuns(const std::string& key_in) {
  std::string key;
  for (char ch : key_in) key += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  for (const char* p :
       {"core.pager", "core.sshcommand", "core.fsmonitor", "core.editor", "core.hookspath", "core.askpass",
        "core.gitproxy", "diff.external", "credential.helper", "gpg.program", "sequence.editor",
        "uploadpack.packobjectshook", "web.browser", "sendemail.tocmd", "sendemail.cccmd", "core.alternaterefscommand"})
    if (key == p) return true;
  for (const char* prefix : {"alias.", "pager.", "filter.", "merge.", "diff.", "gpg.", "browser.", "man.", "remote.",
                             "protocol.", "credential.", "url."})
    if (key.rfind(prefix, 0) == 0) return true;
  return false;
}

Word SubWord(const Word& w, size_t offset, std::string text) {
  Word out = w;
  out.text = std::move(text);
  out.glob = false;
  out.content_offset = w.content_offset >= 0 ? w.content_offset + static_cast<int64_t>(offset) : -1;
  return out;
}

// Programs these options are made for (rsync -e ssh, tar -I zstd, git -c
// core.pager=less): running them is the option's ordinary use.
static bool ExpectedProgram(const std::string& code) {
  const std::string first = code.substr(0, code.find(' '));
  const std::string base = first.substr(first.rfind('/') == std::string::npos ? 0 : first.rfind('/') + 1);
  return In(base,
            {"ssh",   "rsh",           "less", "more", "most",    "cat",   "vim",  "vi",     "nvim", "nano",   "emacs",
             "code",  "zstd",          "xz",   "gzip", "bzip2",   "lz4",   "pigz", "pbzip2", "lzip", "brotli", "unzip",
             "delta", "diff-so-fancy", "bat",  "meld", "vimdiff", "kdiff3"});
}

// Wrappers that write a file of their own besides running the command they
// wrap (/usr/bin/time -o, strace -o, valgrind --log-file, perf stat -o): the
// file is rated as a redirection to it (`: > FILE`), so /etc/passwd is
// critical like `> /etc/passwd`; strace's `-o '|CMD'` / `'!CMD'` runs CMD.
// Long options count in any GNU abbreviation. The scan stops at the wrapped
// command's name.
static std::vector<CodeRef> WrapperOutputs(const SimpleCommand& c) {
  std::vector<CodeRef> out;
  const std::string& n = c.name;
  const auto& a = c.args;
  std::vector<std::string> longs;
  bool short_o = true;
  size_t from = 0;
  if (n == "time" || n == "gtime") {
    longs = {"--output"};
  } else if (n == "strace" || n == "ltrace") {
    longs = {"--output"};
  } else if (n == "valgrind") {
    longs = {"--log-file", "--xml-file"};
    short_o = false;
  } else if (n == "perf" && !a.empty() && In(a[0].text, {"stat", "record", "trace", "sched", "kvm", "lock", "mem"})) {
    longs = {"--output"};
    from = 1;
  } else {
    return out;
  }
  auto write_to = [&](const Word& where, const std::string& value) {
    CodeRef r;
    r.kind = CodeRef::Kind::kShellCode;
    r.label = n + " output file";
    std::string quoted = "'";
    for (char ch : value) quoted += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    quoted += "'";
    const bool pipe = (n == "strace" || n == "ltrace") && !value.empty() && (value[0] == '|' || value[0] == '!');
    r.code = where;
    r.code.text = pipe ? value.substr(1) : ": > " + quoted;
    r.code.glob = false;
    r.code.content_offset = -1;
    if (pipe) {
      r.rule = "exec.option";
      r.risk = Risk::kHigh;
      r.message = n + " -o '" + value.substr(0, 1) + "…' runs a command with the trace as its input";
    }
    out.push_back(r);
  };
  for (size_t i = from; i < a.size(); ++i) {
    const std::string& t = a[i].text;
    if (t == "--" || t.empty() || t[0] != '-') break;
    if (t.rfind("--", 0) == 0) {
      const std::string name = t.substr(0, t.find('='));
      const bool matches = name.size() >= 3 && std::any_of(longs.begin(), longs.end(), [&](const std::string& l) {
                             return l.compare(0, name.size(), name) == 0;
                           });
      if (!matches) continue;
      if (t.find('=') != std::string::npos)
        write_to(a[i], t.substr(t.find('=') + 1));
      else if (i + 1 < a.size())
        write_to(a[i + 1], a[i + 1].text), ++i;
      continue;
    }
    if (short_o && t.size() >= 2 && t[1] == 'o') {
      if (t.size() > 2)
        write_to(a[i], t.substr(2));
      else if (i + 1 < a.size())
        write_to(a[i + 1], a[i + 1].text), ++i;
    }
  }
  return out;
}

std::vector<CodeRef> FindRunners(const SimpleCommand& c) {
  std::vector<CodeRef> out = FindRunnersOf(c);
  for (CodeRef& r : WrapperOutputs(c)) out.push_back(std::move(r));
  for (CodeRef& r : out) {
    if (r.rule == "exec.option" && (ExpectedProgram(r.code.text) || r.label == "git submodule foreach" ||
                                    r.label == "git bisect run" || r.label.rfind("git rebase", 0) == 0)) {
      r.risk = Risk::kModerate;
      r.message += " (it is rated below as well)";
    }
  }
  return out;
}

std::vector<CodeRef> FindRunnersOf(const SimpleCommand& c) {
  std::vector<CodeRef> out;
  const std::string& n = c.name;
  const auto& a = c.args;
  const Risk kRuns = Risk::kHigh;

  // Runners of a command in another environment: a container, a project's
  // environment, other hosts.
  if ((n == "docker" || n == "podman" || n == "nerdctl") && !a.empty() && a[0].text == "exec") {
    const size_t container = FirstOperand(a, 1, {"-e", "--env", "-u", "--user", "-w", "--workdir", "--env-file"});
    if (container + 1 < a.size()) out.push_back(Words(n + " exec", container + 1, false));
    return out;
  }
  if ((n == "kubectl" || n == "oc") && !a.empty() && a[0].text == "exec") {
    for (size_t i = 1; i < a.size(); ++i)
      if (a[i].text == "--" && i + 1 < a.size()) {
        out.push_back(Words(n + " exec", i + 1, false));
        break;
      }
    return out;
  }
  if (n == "ansible" || n == "ansible-console") {
    bool shell = false;
    for (size_t i = 0; i + 1 < a.size(); ++i)
      if ((a[i].text == "-m" || a[i].text == "--module-name") &&
          In(a[i + 1].text, {"shell", "command", "raw", "ansible.builtin.shell", "ansible.builtin.command"}))
        shell = true;
    for (size_t i = 0; i + 1 < a.size(); ++i)
      if (shell && (a[i].text == "-a" || a[i].text == "--args")) {
        CodeRef r = Shell("ansible -m shell", a[i + 1], "remote.command", Risk::kModerate,
                          "ansible runs the command on every host of the pattern");
        r.kind = CodeRef::Kind::kRemoteCode;
        out.push_back(r);
      }
    return out;
  }
  if ((n == "nix-shell" || n == "nix")) {
    for (size_t i = 0; i + 1 < a.size(); ++i)
      if (a[i].text == "--run" || a[i].text == "--command" || a[i].text == "-c")
        out.push_back(Shell(n + " --run", a[i + 1], "", Risk::kSafe, ""));
    return out;
  }
  if ((In(n, {"poetry", "uv", "conda", "mamba", "pipenv", "pdm", "hatch", "rye"}) && !a.empty() &&
       a[0].text == "run") ||
      (n == "bundle" && !a.empty() && a[0].text == "exec") ||
      (n == "npm" && !a.empty() && a[0].text == "exec" &&
       std::find_if(a.begin(), a.end(), [](const Word& w) { return w.text == "--"; }) != a.end())) {
    size_t first = FirstOperand(a, 1, {"-n", "--name", "-p", "--prefix", "--python", "--with", "-e", "--env"});
    if (first < a.size()) out.push_back(Words(n + " " + a[0].text, first, true));
    return out;
  }
  if (n == "direnv" && a.size() >= 3 && a[0].text == "exec") {
    out.push_back(Words("direnv exec", 2, true));
    return out;
  }
  if (n == "launchctl" && a.size() >= 3 && (a[0].text == "asuser" || a[0].text == "submit")) {
    const size_t first = a[0].text == "asuser" ? 2 : FirstOperand(a, 1, {"-l", "-p", "-o", "-e"});
    if (first < a.size()) out.push_back(Words("launchctl " + a[0].text, first, true));
    return out;
  }
  if (n == "wsl" || n == "wsl.exe") {
    const size_t first = FirstOperand(a, 0, {"-d", "--distribution", "-u", "--user", "--cd"});
    if (first < a.size()) out.push_back(Words("wsl", first, true));
    return out;
  }
  if (n == "start-stop-daemon") {
    for (size_t i = 0; i + 1 < a.size(); ++i)
      if (a[i].text == "--exec" || a[i].text == "-x" || a[i].text == "--startas" || a[i].text == "-a") {
        SimpleCommand inner;
        (void)inner;
        size_t dashes = i + 2;
        while (dashes < a.size() && a[dashes].text != "--") ++dashes;
        Word code = a[i + 1];
        for (size_t k = dashes + 1; k < a.size(); ++k) code.text += " " + a[k].text;
        code.content_offset = -1;
        out.push_back(Shell("start-stop-daemon --exec", code, "", Risk::kSafe, ""));
        break;
      }
    return out;
  }
  if (n == "expect") {  // expect -c 'spawn CMD …': the spawned program runs
    for (size_t i = 0; i + 1 < a.size(); ++i)
      if (a[i].text == "-c") {
        const std::string& tcl = a[i + 1].text;
        for (const char* kw : {"spawn ", "exec "})
          for (size_t p = tcl.find(kw); p != std::string::npos; p = tcl.find(kw, p + 1)) {
            size_t e = tcl.find_first_of(";\n]", p);
            out.push_back(
                Shell("expect spawn",
                      SubWord(a[i + 1], p + std::strlen(kw),
                              tcl.substr(p + std::strlen(kw), e == std::string::npos ? e : e - p - std::strlen(kw))),
                      "exec.option", Risk::kModerate, "expect starts the program it is given"));
          }
      }
    return out;
  }
  if (n == "hash") {  // hash -p /tmp/evil ls: `ls` now runs /tmp/evil
    for (size_t i = 0; i + 2 < a.size(); ++i)
      if (a[i].text == "-p") {
        CodeRef r = Shell("hash -p", a[i + 1], "exec.path", Risk::kHigh,
                          "makes the command " + a[i + 2].text + " run " + a[i + 1].text);
        r.code.text = ":";
        r.code.content_offset = -1;
        out.push_back(r);
      }
    return out;
  }

  // Programs that start the command in their arguments.
  if (n == "valgrind" || n == "setpriv" || n == "firejail" || n == "prlimit" || n == "systemd-inhibit" ||
      n == "dbus-launch" || n == "tsp" || n == "nq" || n == "rlwrap" || n == "fakechroot" || n == "catchsegv") {
    out.push_back(Words(n, FirstOperand(a, 0, {"--pid", "-f", "-H", "-P"}), true));
    return out;
  }
  if (n == "perf" && !a.empty() && In(a[0].text, {"stat", "record", "trace", "top", "sched", "kvm", "lock", "mem"})) {
    out.push_back(Words(
        "perf " + a[0].text,
        FirstOperand(a, 1, {"-e", "-o", "-C", "-G", "-r", "-x", "-I", "--output", "--event", "-c", "-F", "-m"}), true));
    return out;
  }
  if (n == "nsenter" || n == "unshare") {
    out.push_back(Words(n,
                        FirstOperand(a, 0,
                                     {"-t", "--target", "-S", "--setuid", "-G", "--setgid", "--wd", "--propagation",
                                      "-R", "--root", "-w"}),
                        true, true));
    return out;
  }
  if (n == "chroot") {
    size_t root = FirstOperand(a, 0, {"--userspec", "--groups"});
    if (root + 1 < a.size()) out.push_back(Words("chroot", root + 1, true, false));
    return out;
  }
  if (n == "fakeroot" || n == "proot" || n == "cgexec" || n == "numactl" || n == "xvfb-run" || n == "chpst" ||
      n == "daemonize" || n == "bwrap") {
    out.push_back(Words(
        n, FirstOperand(a, 0, {"-l", "-s",     "-i",        "-b",      "-r",       "-w",    "-g",     "-N",     "-m",
                               "-C", "-p",     "-n",        "-f",      "-e",       "-u",    "-U",     "-c",     "-E",
                               "-o", "--bind", "--ro-bind", "--chdir", "--setenv", "--dev", "--proc", "--tmpfs"}),
        true, n == "fakeroot"));
    return out;
  }
  if (n == "lckdo" || n == "lockf") {
    size_t file = FirstOperand(a, 0, {"-t", "-w"});
    out.push_back(Words(n, file + 1, true));
    return out;
  }
  if (n == "runuser") {
    for (size_t i = 0; i < a.size(); ++i) {
      Word v;
      if (OptionValue(a, i, {"-c", "--command"}, &v)) {
        CodeRef r = Shell("runuser -c", v, "", Risk::kSafe, "");
        r.privileged = true;
        r.replaces = true;
        out.push_back(r);
        return out;
      }
    }
    bool by_u = false;
    for (const auto& w : a) by_u |= w.text == "-u" || w.text == "--user";
    if (by_u)
      out.push_back(Words(
          "runuser",
          FirstOperand(a, 0, {"-u", "--user", "-g", "--group", "-G", "--supp-group", "-w", "--whitelist-environment"}),
          true, true));
    return out;
  }
  if (n == "sg" || n == "newgrp") {
    size_t group = FirstOperand(a, 0, {});
    size_t first = group + 1;
    if (first < a.size() && (a[first].text == "-c")) ++first;
    if (first < a.size()) {
      CodeRef r = Shell("sg -c", Joined(a, first), "", Risk::kSafe, "");
      r.replaces = true;
      out.push_back(r);
    }
    return out;
  }
  if (n == "script") {
    for (size_t i = 0; i < a.size(); ++i) {
      const std::string& t = a[i].text;
      Word v;
      if (OptionValue(a, i, {"--command"}, &v) ||
          (t.size() >= 2 && t[0] == '-' && t[1] != '-' && t.back() == 'c' && i + 1 < a.size() && (v = a[++i], true))) {
        CodeRef r = Shell("script -c", v, "", Risk::kSafe, "");
        r.replaces = true;
        out.push_back(r);
        return out;
      }
    }
    size_t file = FirstOperand(a, 0, {"-t", "-T", "-F"});  // BSD: script FILE COMMAND…
    if (file + 1 < a.size()) out.push_back(Words("script", file + 1, true));
    return out;
  }
  if (n == "watch") {
    bool exec = false;
    for (const auto& w : a) exec |= w.text == "-x" || w.text == "--exec";
    const size_t first = FirstOperand(a, 0, {"-n", "--interval", "-q", "--equexit"});
    if (first < a.size()) {
      if (exec) {
        out.push_back(Words("watch", first, true));
      } else {
        CodeRef r = Shell("watch", Joined(a, first), "", Risk::kSafe, "");
        r.replaces = true;
        out.push_back(r);
      }
    }
    return out;
  }
  if (n == "entr") {
    bool shell = false;
    for (const auto& w : a) shell |= IsOpt(w) && w.text.find('s') != std::string::npos && w.text[1] != '-';
    const size_t first = FirstOperand(a, 0, {});
    if (first < a.size()) {
      if (shell) {
        CodeRef r = Shell("entr -s", a[first], "", Risk::kSafe, "");
        r.replaces = true;
        out.push_back(r);
      } else {
        out.push_back(Words("entr", first, true));
      }
    }
    return out;
  }
  if (n == "hyperfine") {
    for (size_t i = 0; i < a.size(); ++i) {
      Word v;
      if (OptionValue(a, i, {"--prepare", "-p", "--setup", "-s", "--cleanup", "-c", "--conclude"}, &v)) {
        out.push_back(
            Shell("hyperfine", v, "exec.runs-argument", Risk::kModerate, "hyperfine runs the commands it is given"));
        continue;
      }
      if (IsOpt(a[i])) {
        if (In(a[i].text, {"-r", "--runs", "-w", "--warmup", "-m", "-M", "-n", "--command-name", "-S", "--shell",
                           "--export-json", "--export-csv", "--export-markdown", "-u", "--time-unit", "--style", "-N"}))
          ++i;
        else if (In(a[i].text, {"-L", "--parameter-list", "-P", "--parameter-scan"}))
          i += 2;
        continue;
      }
      out.push_back(
          Shell("hyperfine", a[i], "exec.runs-argument", Risk::kModerate, "hyperfine runs the commands it is given"));
    }
    return out;
  }
  if (n == "parallel" || n == "sem") {
    size_t first =
        FirstOperand(a, 0, {"-j", "-P",         "--jobs",     "-S",        "--sshlogin", "--delay",  "--timeout",
                            "-N", "-n",         "--max-args", "-I",        "--colsep",   "-d",       "--delimiter",
                            "-a", "--arg-file", "--joblog",   "--results", "--tmpdir",   "--workdir"});
    size_t sep = first;
    while (sep < a.size() && a[sep].text != ":::" && a[sep].text != "::::" && a[sep].text != ":::+") ++sep;
    std::vector<const Word*> inputs;
    for (size_t k = sep; k < a.size(); ++k)
      if (a[k].text != ":::" && a[k].text != ":::+" && a[k].text != "::::") inputs.push_back(&a[k]);
    if (sep == first) {  // parallel ::: 'cmd1' 'cmd2': the inputs are the commands
      for (const Word* w : inputs) out.push_back(Shell("parallel", *w, "", Risk::kSafe, ""));
      return out;
    }
    Word tmpl = Joined(std::vector<Word>(a.begin() + static_cast<long>(first), a.begin() + static_cast<long>(sep)), 0);
    if (inputs.empty()) {  // arguments come from standard input
      CodeRef r = Words("parallel", first, true);
      r.kind = CodeRef::Kind::kCommandWords;
      out.push_back(r);
      return out;
    }
    for (size_t k = 0; k < inputs.size() && k < 16; ++k) {
      Word code = tmpl;
      code.content_offset = -1;
      const std::string arg = inputs[k]->text;
      if (code.text.find("{}") != std::string::npos) {
        for (size_t p; (p = code.text.find("{}")) != std::string::npos;) code.text.replace(p, 2, arg);
      } else {
        code.text += " " + arg;
      }
      code.dynamic |= inputs[k]->dynamic;
      CodeRef r = Shell("parallel", code, "", Risk::kSafe, "");
      r.replaces = true;
      out.push_back(r);
    }
    return out;
  }
  if (n == "tmux") {
    size_t i = FirstOperand(a, 0, {"-L", "-S", "-f", "-T"});
    for (size_t k = 0; k < a.size() && k < i; ++k)
      if (a[k].text == "-c" && k + 1 < a.size())
        out.push_back(Shell("tmux -c", a[k + 1], "exec.runs-argument", kRuns, "tmux runs the command it is given"));
    if (i >= a.size()) return out;
    const std::string sub = a[i].text;
    const size_t first = FirstOperand(a, i + 1, {"-s", "-n", "-t", "-c", "-x", "-y", "-e", "-F", "-l", "-L", "-p"});
    if (In(sub, {"new-session", "new", "new-window", "neww", "split-window", "splitw", "respawn-pane", "respawnp",
                 "respawn-window", "respawnw", "run-shell", "run", "pipe-pane", "pipep", "if-shell", "if",
                 "display-popup", "popup"})) {
      if (first < a.size())
        out.push_back(Shell("tmux " + sub, Joined(a, first), "exec.runs-argument", kRuns,
                            "tmux " + sub + " starts a program in the background"));
    } else if (In(sub, {"send-keys", "send"})) {
      // The keys are typed into another terminal's shell: rate what they type.
      Word typed;
      bool any = false;
      for (size_t k = FirstOperand(a, i + 1, {"-t", "-N"}); k < a.size(); ++k) {
        const std::string& key = a[k].text;
        if (In(key, {"Enter", "C-m", "C-j", "KPEnter", "Escape", "Tab", "Space", "BSpace", "C-c", "C-d", "Up", "Down"}))
          continue;
        if (!any)
          typed = a[k];
        else
          typed.text += " " + key;
        typed.dynamic |= a[k].dynamic;
        typed.content_offset = any ? -1 : typed.content_offset;
        any = true;
      }
      if (any)
        out.push_back(Shell("tmux send-keys", typed, "exec.runs-argument", kRuns,
                            "tmux send-keys types a command into another terminal"));
    }
    return out;
  }
  if (n == "screen") {
    for (size_t i = 0; i < a.size(); ++i) {
      const std::string& t = a[i].text;
      if (t == "-X" && i + 2 < a.size() && (a[i + 1].text == "stuff" || a[i + 1].text == "exec")) {
        Word typed = a[i + 2];
        for (const char* nl : {"\\n", "\\r", "^M"})
          for (size_t p; (p = typed.text.find(nl)) != std::string::npos;)
            typed.text.replace(p, std::string(nl).size(), "\n");
        typed.content_offset = -1;
        out.push_back(Shell("screen -X " + a[i + 1].text, typed, "exec.runs-argument", kRuns,
                            "screen types or runs a command in another terminal"));
        return out;
      }
    }
    bool detached = false;
    for (const auto& w : a) detached |= IsOpt(w) && w.text.find('m') != std::string::npos && w.text[1] != '-';
    const size_t first = FirstOperand(a, 0, {"-S", "-c", "-t", "-T", "-e", "-h", "-p", "-s", "-dmS", "-DmS"});
    if (first < a.size()) {
      CodeRef r = Words("screen", first, true);
      if (detached) {
        r.rule = "exec.runs-argument";
        r.risk = kRuns;
        r.message = "screen starts a program in the background";
      }
      out.push_back(r);
    }
    return out;
  }
  if (n == "gdb" || n == "cgdb" || n == "lldb") {
    for (size_t i = 0; i < a.size(); ++i) {
      Word v;
      if (OptionValue(a, i, {"-ex", "--ex", "-eval-command", "--eval-command", "-iex", "-o", "--one-line"}, &v)) {
        std::string t = v.text;
        size_t k = t.find_first_not_of(' ');
        for (std::string_view p : {"shell ", "!", "platform shell "})
          if (k != std::string::npos && t.compare(k, p.size(), p) == 0)
            out.push_back(Shell(n + " -ex shell", SubWord(v, k + p.size(), t.substr(k + p.size())), "exec.option",
                                kRuns, n + " runs a shell command"));
      }
      if (a[i].text == "--args" && i + 1 < a.size()) {
        out.push_back(Words(n + " --args", i + 1, false));
        break;
      }
    }
    return out;
  }
  if (n == "vim" || n == "vi" || n == "nvim" || n == "ex" || n == "view" || n == "gvim" || n == "vimdiff") {
    Editor(c, out);
    return out;
  }
  if (n == "emacs" || n == "emacsclient") {
    for (size_t i = 0; i < a.size(); ++i) {
      Word v;
      if (!OptionValue(a, i, {"--eval", "-eval", "--execute", "-e"}, &v)) continue;
      bool found = false;
      for (std::string_view fn : {"shell-command ", "shell-command-to-string ", "call-process-shell-command ",
                                  "async-shell-command ", "start-process-shell-command "})
        for (const auto& [pos, code] : QuotedArgsOf(v.text, fn)) {
          out.push_back(
              Shell("emacs --eval", SubWord(v, pos, code), "exec.option", kRuns, "emacs runs a shell command"));
          found = true;
        }
      for (const auto& [pos, path] : QuotedArgsOf(v.text, "delete-directory ")) {
        Word w = SubWord(v, pos, "rm -r -f -- " + Quote(path));
        w.content_offset = -1;
        out.push_back(Shell("emacs --eval", w, "", Risk::kSafe, ""));
        found = true;
      }
      for (const auto& [pos, path] : QuotedArgsOf(v.text, "delete-file ")) {
        Word w = SubWord(v, pos, "rm -f -- " + Quote(path));
        w.content_offset = -1;
        out.push_back(Shell("emacs --eval", w, "", Risk::kSafe, ""));
        found = true;
      }
      if (!found) {
        CodeRef r;
        r.kind = CodeRef::Kind::kShellCode;
        r.label = "emacs --eval";
        r.code = v;
        r.code.text = ":";
        r.code.content_offset = -1;
        r.rule = "exec.inline-code";
        r.risk = Risk::kModerate;
        r.message = "emacs runs the Lisp code it is given";
        out.push_back(r);
      }
    }
    return out;
  }
  if (n == "man") {
    for (size_t i = 0; i < a.size(); ++i) {
      Word v;
      if (OptionValue(a, i, {"-P", "--pager", "--html", "-H"}, &v))
        out.push_back(Shell("man -P", v, "exec.option", kRuns, "man runs the given pager command"));
    }
    return out;
  }
  if (n == "less" || n == "more") {
    for (const auto& w : a)
      if (w.text.size() > 2 && w.text[0] == '+' && w.text[1] == '!')
        out.push_back(
            Shell(n + " +!", SubWord(w, 2, w.text.substr(2)), "exec.option", kRuns, n + " runs a shell command"));
    return out;
  }
  if (n == "git") {
    Git(c, out);
    return out;
  }
  if (n == "ssh" || n == "scp" || n == "sftp" || n == "sshfs" || n == "autossh") {
    Ssh(c, out);
    if (n == "ssh")
      for (const auto& w : a)
        if ((w.text == "-R" || w.text.rfind("-R", 0) == 0) && w.text.size() >= 2) {
          CodeRef r;
          r.kind = CodeRef::Kind::kShellCode;
          r.code = w;
          r.code.text = ":";
          r.code.content_offset = -1;
          r.label = "ssh -R";
          r.rule = "net.tunnel";
          r.risk = Risk::kHigh;
          r.message = "ssh -R opens a port on the remote host into this machine";
          out.push_back(r);
          break;
        }
    return out;
  }
  if (n == "rsync") {
    for (size_t i = 0; i < a.size(); ++i) {
      Word v;
      if (OptionValue(a, i, {"-e", "--rsh"}, &v)) {
        out.push_back(Shell("rsync -e", v, "exec.option", kRuns, "rsync -e runs the given program to connect"));
      } else if (OptionValue(a, i, {"--rsync-path"}, &v)) {
        CodeRef r = Shell("rsync --rsync-path", v, "", Risk::kSafe, "");
        r.kind = CodeRef::Kind::kRemoteCode;
        out.push_back(r);
      }
    }
    return out;
  }
  if (n == "tar" || n == "gtar" || n == "bsdtar") {
    for (size_t i = 0; i < a.size(); ++i) {
      Word v;
      if (OptionValue(a, i,
                      {"--to-command", "--use-compress-program", "-I", "--info-script", "-F", "--new-volume-script",
                       "--rsh-command", "--rmt-command"},
                      &v)) {
        out.push_back(Shell("tar " + a[i].text.substr(0, a[i].text.find('=')), v, "exec.option", kRuns,
                            "tar runs the given program"));
      } else if (a[i].text.rfind("--checkpoint-action=", 0) == 0) {
        const std::string action = a[i].text.substr(20);
        if (action.rfind("exec=", 0) == 0)
          out.push_back(Shell("tar --checkpoint-action", SubWord(a[i], 25, action.substr(5)), "exec.option", kRuns,
                              "tar runs the given program at each checkpoint"));
      }
    }
    return out;
  }
  if (n == "zip") {
    for (size_t i = 0; i < a.size(); ++i) {
      Word v;
      if (OptionValue(a, i, {"-TT", "--unzip-command"}, &v))
        out.push_back(Shell("zip -TT", v, "exec.option", kRuns, "zip runs the given program to test the archive"));
    }
    return out;
  }
  if (n == "sort") {
    for (size_t i = 0; i < a.size(); ++i) {
      Word v;
      if (OptionValue(a, i, {"--compress-program"}, &v))
        out.push_back(Shell("sort --compress-program", v, "exec.option", kRuns, "sort runs the given program"));
    }
    return out;
  }
  if (n == "mysql" || n == "psql" || n == "sqlite3" || n == "mariadb") {
    for (const auto& w : a) {
      for (std::string_view esc : {"\\!", ".shell ", ".system "}) {
        size_t p = w.text.find(esc);
        if (p == std::string::npos) continue;
        size_t s = p + esc.size();
        size_t e = w.text.find_first_of(";\n", s);
        out.push_back(Shell(n + " shell escape", SubWord(w, s, w.text.substr(s, e == std::string::npos ? e : e - s)),
                            "exec.option", kRuns, n + " runs a shell command from its input"));
      }
    }
    return out;
  }
  if (n == "env") {  // env -S 'cmd args': the string is split into a command
    for (size_t i = 0; i < a.size(); ++i) {
      Word v;
      if (OptionValue(a, i, {"-S", "--split-string"}, &v)) {
        Word code = v;
        for (size_t k = i + 1; k < a.size(); ++k) {
          code.text += " " + a[k].text;
          code.dynamic |= a[k].dynamic;
          code.content_offset = -1;
        }
        CodeRef r = Shell("env -S", code, "exec.option", Risk::kHigh,
                          "env -S runs a command line given as one string, a way to hide it");
        r.replaces = true;
        out.push_back(r);
        return out;
      }
      if (!IsOpt(a[i]) && a[i].text.find('=') == std::string::npos) break;
    }
    return out;
  }

  if (n == "awk" || n == "gawk" || n == "mawk" || n == "nawk" || n == "busybox awk") {
    std::vector<std::pair<std::string, Word>> assigned;  // awk -v c='rm -rf ~' 'BEGIN{system(c)}'
    for (size_t i = 0; i + 1 < a.size(); ++i)
      if (a[i].text == "-v") {
        const size_t eq = a[i + 1].text.find('=');
        if (eq != std::string::npos)
          assigned.push_back({a[i + 1].text.substr(0, eq), SubWord(a[i + 1], eq + 1, a[i + 1].text.substr(eq + 1))});
      }
    for (size_t i = 0; i < a.size(); ++i) {
      const Word& w0 = a[i];
      if (IsOpt(w0)) {
        if (w0.text == "-v" || w0.text == "-F" || w0.text == "-f") ++i;
        continue;
      }
      for (const auto& [var, value] : assigned)
        if (w0.text.find("system(" + var + ")") != std::string::npos)
          out.push_back(Shell("awk system()", value, "exec.option", kRuns, "awk runs a shell command"));
      if (w0.text.find("system(") != std::string::npos && w0.text.find("system(\"") == std::string::npos &&
          assigned.empty()) {  // system($0): commands built from its input
        CodeRef r = Shell("awk system()", w0, "exec.option", kRuns, "awk runs commands built from its input");
        r.code.text = ":";
        r.code.content_offset = -1;
        out.push_back(r);
      }
      // ENVIRON["HOME"] is the home directory; "a" "b" is "ab".
      Word w = w0;
      for (const char* home : {"ENVIRON[\"HOME\"]", "ENVIRON['HOME']"})
        for (size_t p; (p = w.text.find(home)) != std::string::npos;) w.text.replace(p, std::strlen(home), "\"~\"");
      for (size_t p; (p = w.text.find("\" \"")) != std::string::npos;) w.text.erase(p, 3);
      if (w.text != w0.text) w.content_offset = -1;
      const std::string& prog = w.text;
      if (prog.find("/inet/") != std::string::npos && prog.find("|&") != std::string::npos) {
        CodeRef r = Shell("awk /inet", w, "net.reverse-shell", Risk::kCritical,
                          "awk opens a network connection and runs what arrives (a reverse shell)");
        r.code.text = ":";
        r.code.content_offset = -1;
        out.push_back(r);
        return out;
      }
      for (const auto& [pos, code] : QuotedArgsOf(prog, "system("))
        out.push_back(Shell("awk system()", SubWord(w, pos, code), "exec.option", kRuns, "awk runs a shell command"));
      // print | "cmd", "cmd" | getline: a pipe to or from a command.
      for (size_t p = prog.find('|'); p != std::string::npos; p = prog.find('|', p + 1)) {
        if ((p + 1 < prog.size() && prog[p + 1] == '|') || (p > 0 && prog[p - 1] == '|')) {
          ++p;
          continue;
        }
        size_t q = prog.find_first_not_of(" &", p + 1);
        std::string cmd;
        size_t at = 0;
        if (q != std::string::npos && prog[q] == '"') {  // print | "cmd"
          size_t e = prog.find('"', q + 1);
          if (e != std::string::npos) cmd = prog.substr(q + 1, e - q - 1), at = q + 1;
        } else {  // "cmd" | getline
          size_t e = prog.find_last_not_of(" ", p == 0 ? 0 : p - 1);
          if (e != std::string::npos && prog[e] == '"') {
            size_t s = prog.rfind('"', e - 1);
            if (s != std::string::npos) cmd = prog.substr(s + 1, e - s - 1), at = s + 1;
          }
        }
        CodeRef r = Shell("awk |", SubWord(w, at, cmd.empty() ? ":" : cmd), "exec.option", kRuns,
                          "awk pipes to or from a shell command");
        if (cmd.empty()) r.code.dynamic = true;
        out.push_back(r);
      }
      break;  // the first operand is the program
    }
    return out;
  }
  if (n == "sed" || n == "gsed") {
    for (const Word& script : SedScripts(a)) SedScriptCode(script, out);
    return out;
  }

  // Code stored to run later.
  if (n == "alias") {
    static const char* kShadowed[] = {"ls",     "cd",      "sudo",   "su",      "git",  "ssh", "cat",  "grep",
                                      "rm",     "cp",      "mv",     "vi",      "vim",  "apt", "pip",  "npm",
                                      "docker", "kubectl", "python", "python3", "bash", "sh",  "echo", "clear",
                                      "exit",   "make",    "curl",   "wget",    "man"};
    // fish: `alias NAME 'code'` (two words, no `=`), `alias --save NAME CODE`.
    std::vector<Word> words;
    for (const auto& w : a)
      if (!IsOpt(w)) words.push_back(w);
    if (words.size() == 2 && words[0].text.find('=') == std::string::npos) {
      Word joined = words[0];
      joined.text = words[0].text + "=" + words[1].text;
      joined.content_offset = -1;
      joined.end = words[1].end;
      joined.dynamic |= words[1].dynamic;
      words = {joined};
    }
    for (const auto& w : words) {
      const size_t eq = w.text.find('=');
      if (eq == std::string::npos || IsOpt(w)) continue;
      const std::string name = w.text.substr(0, eq);
      bool shadows = false;
      for (const char* s : kShadowed) shadows |= name == s;
      const std::string value = w.text.substr(eq + 1);
      if (value.substr(0, value.find(' ')) == name) shadows = false;  // alias rm='rm -i': the same command
      out.push_back(Shell("alias " + name, SubWord(w, eq + 1, w.text.substr(eq + 1)),
                          shadows ? "persist.alias-shadows" : "persist.alias", shadows ? Risk::kHigh : Risk::kModerate,
                          shadows ? "redefines the command '" + name + "': typing it will run other code"
                                  : "defines the alias '" + name + "', code that runs when it is typed"));
    }
    return out;
  }
  if (n == "trap") {
    const size_t first = FirstOperand(a, 0, {});
    if (first < a.size() && a[first].text != "-" && first + 1 < a.size()) {
      bool every = false;
      for (size_t k = first + 1; k < a.size(); ++k) every |= In(a[k].text, {"DEBUG", "RETURN", "ERR"});
      out.push_back(Shell(
          "trap", a[first], every ? "persist.trap-every-command" : "persist.trap",
          every ? Risk::kHigh : Risk::kModerate,
          every ? "sets code that runs before every command" : "sets code that runs later, on a signal or at exit"));
    }
    return out;
  }
  // fish: abbr -a NAME CODE expands NAME into CODE as it is typed.
  if (n == "abbr") {
    std::vector<Word> words;
    for (const auto& w : a)
      if (!IsOpt(w)) words.push_back(w);
    if (words.size() >= 2) {
      Word code = words[1];
      for (size_t k = 2; k < words.size(); ++k) {
        code.text += " " + words[k].text;
        code.content_offset = -1;
        code.end = words[k].end;
      }
      out.push_back(Shell("abbr " + words[0].text, code, "persist.alias", Risk::kModerate,
                          "defines the abbreviation '" + words[0].text + "', code that is typed for it"));
    }
    return out;
  }
  if (n == "compgen" || n == "mapfile" || n == "readarray") {
    for (size_t i = 0; i < a.size(); ++i) {
      Word v;
      if (OptionValue(a, i, {"-C"}, &v))
        out.push_back(Shell(n + " -C", v, "", Risk::kSafe, ""));  // runs the command now, rated as itself
    }
    return out;
  }
  if (n == "bind") {  // fish: bind KEY CODE; bash: bind '"KEYS": "text typed"'
    std::vector<Word> words;
    bool option = false;
    for (const auto& w : a) {
      if (IsOpt(w)) {
        option = true;
        continue;
      }
      words.push_back(w);
    }
    if (!option && words.size() >= 2 && words[0].text.find(':') == std::string::npos) {
      Word code = words[1];
      for (size_t k = 2; k < words.size(); ++k) {
        code.text += " " + words[k].text;
        code.content_offset = -1;
        code.end = words[k].end;
      }
      out.push_back(
          Shell("bind " + words[0].text, code, "persist.key-binding", kRuns, "binds a key to a shell command"));
      return out;
    }
    if (!option && words.size() == 1 && words[0].text.find(':') != std::string::npos) {
      const Word& v = words[0];
      const size_t colon = v.text.find(':');
      size_t s = v.text.find_first_not_of(" ", colon + 1);
      std::string macro = s == std::string::npos ? "" : v.text.substr(s);
      if (macro.size() >= 2 && (macro[0] == '"' || macro[0] == '\'')) macro = macro.substr(1, macro.size() - 2);
      // A macro that ends in Enter types a command and runs it.
      bool enter = false;
      for (const char* e : {"\\n", "\\r", "\\C-m", "\\C-j"})
        if (macro.size() >= std::strlen(e) && macro.compare(macro.size() - std::strlen(e), std::strlen(e), e) == 0) {
          macro.resize(macro.size() - std::strlen(e));
          enter = true;
        }
      if (enter) {
        Word code = v;
        code.text = macro;
        code.content_offset = -1;
        out.push_back(Shell("bind (macro)", code, "persist.key-binding", Risk::kModerate,
                            "binds a key to type and run a command"));
      } else {
        out.push_back(Shell("bind (macro)", Word{}, "persist.key-binding", Risk::kModerate,
                            "binds a key to type text into the shell"));
      }
      return out;
    }
  }
  if (n == "complete" || n == "compdef" || n == "bind") {
    for (size_t i = 0; i < a.size(); ++i) {
      Word v;
      if (n == "complete" && OptionValue(a, i, {"-C"}, &v))
        out.push_back(
            Shell("complete -C", v, "persist.completion", kRuns, "runs this command whenever completion is asked for"));
      if (n == "bind" && OptionValue(a, i, {"-x"}, &v)) {
        const size_t colon = v.text.find(':');
        if (colon != std::string::npos) {
          size_t s = v.text.find_first_not_of(" \"'", colon + 1);
          std::string code = s == std::string::npos ? "" : v.text.substr(s);
          while (!code.empty() && (code.back() == '"' || code.back() == '\'')) code.pop_back();
          out.push_back(
              Shell("bind -x", SubWord(v, s, code), "persist.key-binding", kRuns, "binds a key to a shell command"));
        }
      }
    }
    return out;
  }
  // `$SHELL -c '…'`, `"$BASH" -c`: a shell only known at run time; the
  // inline code is still shell code.
  if (c.name_word.dynamic && a.size() >= 2 && a[0].text == "-c")
    out.push_back(Shell("(dynamic shell) -c", a[1], "", Risk::kSafe, ""));
  return out;
}

namespace {

// What an assignment does to a program's network trust, or nullptr when it
// does nothing to it (an empty value unsets a proxy; a check left on).
const char* NetworkTrust(const std::string& name, const std::string& value) {
  const std::string lname = detail::Lower(name);
  const std::string lower = detail::Lower(value);
  // Set at all, even empty, turns git's certificate checks off (git's http.c
  // tests getenv() only); docker's checks are off unless it is set non-empty.
  if (name == "GIT_SSL_NO_VERIFY") return "turns off git's certificate checks, whatever its value";
  if (name == "DOCKER_TLS_VERIFY" && (lower.empty() || lower == "0" || lower == "false"))
    return "turns off docker's certificate checks";
  if (value.empty()) return nullptr;  // unsets a proxy, a bundle or an index: the defaults
  const bool off = lower == "0" || lower == "false" || lower == "no" || lower == "off";
  // Python's urllib (pip, requests) reads *_proxy in any case, so does cargo
  // (CARGO_HTTP_PROXY), rsync (RSYNC_PROXY), npm (npm_config_https_proxy).
  if (lname.ends_with("_proxy") && lname != "no_proxy") return "sends the program's network traffic through that proxy";
  if (lname == "no_proxy" && value.find('*') != std::string::npos)
    return "sends the program's traffic around the proxy, which may be there to filter it";
  if ((In(name, {"SSL_CERT_FILE", "SSL_CERT_DIR", "CURL_CA_BUNDLE", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS",
                 "GIT_SSL_CAINFO", "GIT_SSL_CAPATH", "PIP_CERT", "AWS_CA_BUNDLE", "npm_config_cafile",
                 "NPM_CONFIG_CAFILE", "CARGO_HTTP_CAINFO", "DOCKER_CERT_PATH", "CONDA_SSL_VERIFY"}) ||
       (name.rfind("POETRY_CERTIFICATES_", 0) == 0 && !off)) &&
      !(name == "CONDA_SSL_VERIFY" && (lower == "true" || lower == "1" || lower == "yes")))
    return off ? "turns off the checks that what the program downloads is what it says"
               : "makes the program trust the certificates there: its connections can be intercepted";
  if (In(name, {"PIP_TRUSTED_HOST", "GOINSECURE", "GONOSUMDB", "GONOSUMCHECK", "GOPRIVATE"}) ||
      (name == "GOFLAGS" && value.find("insecure") != std::string::npos) ||
      // Node and Python turn their checks off only for "0".
      (In(name, {"NODE_TLS_REJECT_UNAUTHORIZED", "PYTHONHTTPSVERIFY"}) && lower == "0") ||
      (In(name, {"npm_config_strict_ssl", "NPM_CONFIG_STRICT_SSL", "YARN_STRICT_SSL", "CARGO_HTTP_CHECK_REVOKE"}) &&
       off) ||
      (name == "GOSUMDB" && lower != "sum.golang.org") ||
      (name == "CARGO_HTTP_SSL_VERSION" && (lower == "tlsv1" || lower == "tlsv1.1" || lower == "default")) ||
      (name.rfind("POETRY_CERTIFICATES_", 0) == 0 && off))
    return "turns off or replaces the checks that what the program downloads is what it says";
  if (In(name, {"PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS", "UV_INDEX_URL", "UV_EXTRA_INDEX_URL",
                "UV_DEFAULT_INDEX", "UV_INDEX", "npm_config_registry", "NPM_CONFIG_REGISTRY", "YARN_REGISTRY",
                "YARN_NPM_REGISTRY_SERVER", "GOPROXY", "BUNDLE_MIRROR__ALL", "CONDA_CHANNELS"}) ||
      (name.starts_with("CARGO_REGISTRIES_") && name.ends_with("_INDEX")))
    return "makes the program fetch its packages from there";
  return nullptr;
}

}  // namespace

VariableEffect VariableRuns(const std::string& name, const std::string& value) {
  VariableEffect e;
  const bool network = value.find("curl") != std::string::npos || value.find("wget") != std::string::npos ||
                       value.find("nc ") != std::string::npos || value.find("ssh ") != std::string::npos ||
                       value.find("http") != std::string::npos;
  if (name.rfind("BASH_FUNC_", 0) == 0) {
    // An exported function (BASH_FUNC_ls%%='() { …; }'): every bash started
    // from here defines it, and `ls` then runs its body.
    e = {"exec.variable", Risk::kHigh, name + " makes every bash started from here run its code", true};
  } else if (In(name, {"PROMPT_COMMAND", "PROMPT_COMMAND[0]", "precmd_functions", "preexec_functions"})) {
    e = {"persist.prompt-command", network ? Risk::kHigh : Risk::kModerate,
         "sets " + name + ", code that runs at every prompt" + (network ? " and talks to the network" : ""), true};
  } else if (In(name, {"PS0", "PS1", "PS2", "PS3", "PS4", "PROMPT", "RPROMPT"})) {
    if (value.find("$(") == std::string::npos && value.find('`') == std::string::npos)
      return {"shell.prompt", Risk::kModerate, "changes the shell prompt", false};
    e = {"persist.prompt-command", Risk::kHigh, "sets " + name + " to run a command at every prompt", false};
  } else if (name.rfind("GIT_CONFIG", 0) == 0 && name != "GIT_CONFIG_NOSYSTEM") {
    e = {"exec.variable", Risk::kHigh, name + " changes git's configuration, which can make git run programs", false};
    if (name.rfind("GIT_CONFIG_VALUE_", 0) == 0) e.value_is_code = true;
  } else if (name == "LESS" || name == "MORE") {
    if (value.find('!') == std::string::npos && value.find('|') == std::string::npos) return e;
    e = {"exec.variable", Risk::kHigh, name + " holds a command for the pager to run", false};
  } else if (name == "PATH") {
    const std::string first = value.substr(0, value.find(':'));
    if (first.empty() || first[0] == '$' || first.rfind("/usr/", 0) == 0 || first == "/bin" || first == "/sbin" ||
        first.rfind("/opt/homebrew", 0) == 0 || first.find(".local/bin") != std::string::npos ||
        first.find(".cargo/bin") != std::string::npos || first.find("/go/bin") != std::string::npos)
      return e;
    const bool risky = first.rfind("/tmp", 0) == 0 || first.rfind("/var/tmp", 0) == 0 ||
                       first.rfind("/dev/shm", 0) == 0 || first == "." || first[0] != '/';
    e = {"exec.path", risky ? Risk::kHigh : Risk::kModerate,
         "PATH now looks in " + first + " first: commands may run from there", false};
  } else if (In(name, {"PAGER",
                       "MANPAGER",
                       "GIT_PAGER",
                       "SYSTEMD_PAGER",
                       "GIT_SSH_COMMAND",
                       "GIT_SSH",
                       "GIT_EXTERNAL_DIFF",
                       "GIT_EDITOR",
                       "GIT_SEQUENCE_EDITOR",
                       "EDITOR",
                       "KUBE_EDITOR",
                       "SYSTEMD_EDITOR",
                       "RUSTC",
                       "RUSTC_WRAPPER",
                       "NPM_CONFIG_SCRIPT_SHELL",
                       "npm_config_script_shell",
                       "VISUAL",
                       "SUDO_EDITOR",
                       "BROWSER",
                       "SSH_ASKPASS",
                       "SUDO_ASKPASS",
                       "GIT_ASKPASS",
                       "GIT_PROXY_COMMAND",
                       "RSYNC_RSH",
                       "LESSOPEN",
                       "LESSCLOSE",
                       "FZF_DEFAULT_COMMAND",
                       "DIFFPROG"})) {
    // A plain program name (EDITOR=vim) is ordinary; a command line, or a
    // program given by path (./evil.sh), runs what it names.
    if (value.find_first_of(" |;&$`/") == std::string::npos) return e;
    if (value.find_first_of(" |;&$`") == std::string::npos && value.rfind("/usr/", 0) == 0) return e;
    e = {"exec.variable", Risk::kHigh, name + " makes programs run the command in its value", true};
  } else if (In(name, {"BASH_ENV",
                       "ENV",
                       "ZDOTDIR",
                       "PYTHONSTARTUP",
                       "PERL5OPT",
                       "NODE_OPTIONS",
                       "RUBYOPT",
                       "PYTHONPATH",
                       "PERL5LIB",
                       "RUBYLIB",
                       "NODE_PATH",
                       "PYTHONHOME",
                       "PYTHONINSPECT",
                       "PYTHONUSERBASE",
                       "PYTHONBREAKPOINT",
                       "PYTHONWARNINGS",
                       "NODE_REPL_EXTERNAL_MODULE",
                       "PERL5DB",
                       "PERLLIB",
                       "LUA_INIT",
                       "LUA_PATH",
                       "LUA_CPATH",
                       "PHPRC",
                       "PHP_INI_SCAN_DIR",
                       "RUBYGEMS_GEMDEPS",
                       "GEM_HOME",
                       "GEM_PATH",
                       "R_PROFILE",
                       "R_PROFILE_USER",
                       "JAVA_TOOL_OPTIONS",
                       "_JAVA_OPTIONS",
                       "GCONV_PATH",
                       "TAR_OPTIONS",
                       "JDK_JAVA_OPTIONS",
                       "OPENSSL_CONF",
                       "OPENSSL_ENGINES",
                       "OPENSSL_MODULES"})) {
    e = {"exec.variable", Risk::kHigh, name + " makes programs load and run other code", false};
  } else if (name == "CDPATH") {
    if (value.empty() || value == ".") return e;
    e = {"shell.cdpath", Risk::kModerate, "CDPATH changes where cd goes: `cd NAME` may land in " + value, false};
  } else if (In(name, {"GIT_DIR", "GIT_COMMON_DIR", "GIT_WORK_TREE"})) {
    // Another repository's configuration can make git run programs
    // (core.fsmonitor, core.pager); one in a shared temporary place is not the person's own.
    if (value.empty() || name == "GIT_WORK_TREE") return e;
    const bool foreign = value.rfind("/tmp", 0) == 0 || value.rfind("/var/tmp", 0) == 0 ||
                         value.rfind("/dev/shm", 0) == 0 || value[0] == '$';
    if (!foreign) return e;
    e = {"exec.variable", Risk::kHigh,
         name + " points git at a repository whose configuration can make it run programs", false};
  } else if (In(name, {"VIMINIT", "EXINIT", "GVIMINIT"})) {
    e = {"exec.variable", Risk::kHigh, name + " holds editor commands that vim runs at start, shell escapes included",
         false};
  } else if (name == "GOTOOLCHAIN") {
    if (value.empty() || value == "local" || value == "auto" || value == "path") return e;
    e = {"exec.variable", Risk::kHigh, "GOTOOLCHAIN=" + value + " makes go download and run that toolchain", false};
  } else if (name == "GIT_EXEC_PATH") {
    e = {"exec.variable", Risk::kHigh, "git runs its subcommands from " + value, false};
  } else if (In(name, {"HOME",
                       "XDG_CONFIG_HOME",
                       "XDG_CONFIG_DIRS",
                       "XDG_DATA_HOME",
                       "XDG_DATA_DIRS",
                       "CURL_HOME",
                       "WGETRC",
                       "INPUTRC",
                       "GIT_TEMPLATE_DIR",
                       "TERMINFO",
                       "TERMINFO_DIRS",
                       "TERMCAP",
                       "LESSKEY",
                       "LESSKEYIN",
                       "MYVIMRC",
                       "GNUPGHOME",
                       "KUBECONFIG",
                       "DOCKER_CONFIG",
                       "PIP_CONFIG_FILE",
                       "NPM_CONFIG_USERCONFIG",
                       "npm_config_userconfig",
                       "NPM_CONFIG_GLOBALCONFIG",
                       "npm_config_globalconfig",
                       "AWS_CONFIG_FILE",
                       "AWS_SHARED_CREDENTIALS_FILE",
                       "RIPGREP_CONFIG_PATH",
                       "HGRCPATH",
                       "BUNDLE_GEMFILE",
                       "JUPYTER_CONFIG_DIR",
                       "CARGO_HOME",
                       "GOENV",
                       "CLOUDSDK_CONFIG",
                       "CONDARC",
                       "ANSIBLE_CONFIG",
                       "TF_CLI_CONFIG_FILE",
                       "BOTO_CONFIG",
                       "HELM_CONFIG_HOME",
                       "GEMRC",
                       "UV_CONFIG_FILE",
                       "POETRY_CONFIG_DIR",
                       "YARN_RC_FILENAME",
                       "NETRC",
                       "SCREENRC",
                       "EMACSLOADPATH",
                       "RUSTUP_HOME"})) {
    // Where programs read their configuration, and a configuration can make
    // a program that only reads run commands: git's core.pager and
    // core.fsmonitor, kubectl's exec credentials, docker's credential
    // helpers, curl's output options. The person's own home is no change.
    if (value.empty() || value == "~" || value == "$HOME" || value == "${HOME}") return e;
    const bool home = value.rfind("~/", 0) == 0 || value.rfind("$HOME/", 0) == 0 || value.rfind("${HOME}/", 0) == 0;
    const bool foreign = !home && (value.rfind("/tmp", 0) == 0 || value.rfind("/var/tmp", 0) == 0 ||
                                   value.rfind("/dev/shm", 0) == 0 || value[0] == '$' || value[0] != '/');
    e = {"exec.config-elsewhere", foreign ? Risk::kHigh : Risk::kModerate,
         name + "=" + value +
             " makes programs read their configuration from there, and a configuration can make "
             "them run commands",
         false};
  } else if (const char* what = NetworkTrust(name, value)) {
    // A program that only reads still fetches what the network gives it:
    // through a proxy, trusting other certificates, without checks, or from
    // another package index, that may not be what it says.
    e = {"net.trust", Risk::kModerate, name + "=" + value + " " + what, false};
  } else if (In(name, {"LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "DYLD_INSERT_LIBRARIES", "DYLD_LIBRARY_PATH"})) {
    e = {"exec.library-injection", Risk::kHigh, name + " loads other code into every program started", false};
  }
  return e;
}

bool OptionValue(const std::vector<Word>& a, size_t& i, std::initializer_list<std::string_view> names, Word* out) {
  const std::string& t = a[i].text;
  for (std::string_view n : names) {
    if (t == n && i + 1 < a.size()) {
      *out = a[++i];
      return true;
    }
    if (n.size() > 2 && n[1] == '-' && t.size() > n.size() && t.compare(0, n.size(), n) == 0 && t[n.size()] == '=') {
      *out = SubWord(a[i], n.size() + 1, t.substr(n.size() + 1));
      return true;
    }
    if (n.size() == 2 && n[1] != '-' && t.size() > 2 && t.compare(0, 2, n) == 0) {  // -xVALUE
      *out = SubWord(a[i], 2, t.substr(2));
      return true;
    }
  }
  return false;
}

}  // namespace cmdai::safety
