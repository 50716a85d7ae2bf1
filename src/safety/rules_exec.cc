// SPDX-License-Identifier: MIT
// Rules for code execution: downloaded or decoded code fed to an interpreter
// (pipes, process and command substitution), code built at run time, inline
// interpreter code, reverse shells and listeners.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "common/split.h"
#include "safety/read_only_profiles.h"
#include "safety/rule_util.h"
#include "safety/runners.h"

namespace cmdai::safety::detail {
namespace {

bool IsDownloader(const SimpleCommand& c) {
  const std::string& n = c.name;
  return n == "curl" || n == "wget" || n == "fetch" || n == "aria2c" || n == "http" || n == "https" ||
         n == "lwp-request" || n == "GET" || n == "wget2" || n == "curlie" || n == "xh" || n == "ftp" || n == "tftp";
}

// What an option does to the trust a download or a package fetch rests on,
// as the proxy and CA variables do (net.trust in runners.cc); "" when none.
std::string TrustOption(const SimpleCommand& c) {
  const std::string& n = c.name;
  // Options end at "--"; a long option may be given as a unique prefix
  // (wget and pip accept any, curl before 8.5 too), so `prefix` matches
  // from `at_least` characters on.
  auto args_before_dashdash = [&] {
    std::vector<std::string> out;
    for (const auto& w : c.args) {
      if (w.text == "--") break;
      out.push_back(w.text);
    }
    return out;
  };
  const std::vector<std::string> args = args_before_dashdash();
  auto has = [&](std::string_view opt, size_t at_least = 0) {
    for (const std::string& a : args) {
      const std::string name = a.substr(0, a.find('='));
      if (name == opt) return true;
      if (at_least && name.size() >= at_least && name.size() < opt.size() && opt.rfind(name, 0) == 0) return true;
    }
    return false;
  };
  // The value of "--opt V", "--opt=V" or, for a short option, "-oV"; "" for
  // a last word with none; nullopt when absent.
  auto value_of = [&](std::string_view opt) -> std::optional<std::string> {
    for (size_t i = 0; i < c.args.size() && c.args[i].text != "--"; ++i) {
      Word v;
      if (OptionValue(c.args, i, {opt}, &v)) return v.text;
      if (c.args[i].text == opt) return std::string();
    }
    return std::nullopt;
  };
  auto set = [&](std::string_view opt) {  // given a non-empty value
    const auto v = value_of(opt);
    return v && !v->empty();
  };
  if (has("--version") || has("--help") || has("-V") || has("-h")) return "";  // nothing is fetched
  const std::string insecure = "turns off the certificate checks: what it downloads may not be what it says";
  if (n == "curl" || n == "curlie") {
    if (HasFlag(c, 'k', "--insecure") || has("--insecure", 6) || has("--proxy-insecure") || has("--doh-insecure"))
      return insecure;
    for (std::string_view o : {"--cacert", "--capath", "--proxy-cacert", "--proxy-capath"})
      if (set(o)) return "trusts the certificates in " + *value_of(o);
    for (std::string_view o :
         {"-x", "--proxy", "--proxy1.0", "--preproxy", "--socks4", "--socks4a", "--socks5", "--socks5-hostname"})
      if (set(o)) return "sends its traffic through the proxy " + *value_of(o);
    if (HasFlag(c, 'x') && !value_of("-x")) return "sends its traffic through a proxy";  // -sx HOST
    if (const auto v = value_of("--noproxy"); v && v->find('*') != std::string::npos)
      return "sends its traffic around the proxy, which may be there to filter it";
    for (std::string_view o : {"--ciphers", "--tls-max", "--ssl-no-revoke", "--ssl-allow-beast", "--tlsv1.0"})
      if (has(o)) return "weakens its TLS checks (" + std::string(o) + ")";
  } else if (n == "wget" || n == "wget2") {
    if (has("--no-check-certificate", 10)) return insecure;
    for (std::string_view o : {"--ca-certificate", "--ca-directory"})
      if (set(o)) return "trusts the certificates in " + *value_of(o);
    for (size_t i = 0; i < args.size(); ++i) {
      std::string e;
      if ((args[i] == "-e" || args[i] == "--execute") && i + 1 < args.size()) e = args[i + 1];
      if (args[i].rfind("--execute=", 0) == 0) e = args[i].substr(10);
      if (e.find("proxy") != std::string::npos || e.find("check_certificate") != std::string::npos ||
          e.find("check-certificate") != std::string::npos || e.find("ca_certificate") != std::string::npos)
        return "changes its proxy or certificate checks (" + e + ")";
    }
  } else if (n == "npm" || n == "pnpm" || n == "yarn" || n == "npx") {
    if (const auto v = value_of("--registry"); v && !v->empty() && v->rfind("https://registry.npmjs.org", 0) != 0 &&
                                               v->rfind("https://registry.yarnpkg.com", 0) != 0)
      return "fetches its packages from " + *v;
    if (value_of("--strict-ssl") == "false") return insecure;
    for (std::string_view o : {"--proxy", "--https-proxy"})
      if (set(o)) return "sends its traffic through the proxy " + *value_of(o);
    if (set("--cafile")) return "trusts the certificates in " + *value_of("--cafile");
    if (const auto v = value_of("--noproxy"); v && v->find('*') != std::string::npos)
      return "sends its traffic around the proxy, which may be there to filter it";
  } else if (n == "pip" || n == "pip3" || n == "uv") {
    for (std::string_view o :
         {"-i", "--index-url", "--extra-index-url", "--default-index", "--index", "-f", "--find-links"})
      if (set(o)) return "fetches its packages from " + *value_of(o);
    if (has("--index-url", 9) || has("--extra-index-url", 9) || has("--find-links", 7))
      return "fetches its packages from another index";
    if (has("--trusted-host", 6)) return insecure;
    if (set("--cert")) return "trusts the certificates in " + *value_of("--cert");
    if (set("--proxy")) return "sends its traffic through the proxy " + *value_of("--proxy");
  } else if (n == "kubectl" || n == "oc" || n == "helm") {
    if (const auto v = value_of("--insecure-skip-tls-verify"); v && *v != "false") return insecure;
    if (const auto v = value_of("--kube-insecure-skip-tls-verify"); v && *v != "false") return insecure;
    for (std::string_view o : {"--certificate-authority", "--ca-file", "--kube-ca-file"})
      if (set(o)) return "trusts the certificates in " + *value_of(o);
    if (set("--tls-server-name"))
      return "accepts another server's certificate (" + *value_of("--tls-server-name") + ")";
    if (has("--plain-http")) return "talks to the registry without TLS";
    if (n == "helm" && set("--repo")) return "fetches its charts from " + *value_of("--repo");
  } else if (n == "docker" || n == "podman") {
    if (const auto v = value_of("--tlsverify"); v && *v == "false") return insecure;
    if (value_of("--tls-verify") == "false") return insecure;
    if (set("--tlscacert")) return "trusts the certificates in " + *value_of("--tlscacert");
  } else if (n == "gem") {
    for (std::string_view o : {"--source", "-s"})
      if (set(o)) return "fetches its gems from " + *value_of(o);
  } else if (n == "conda" || n == "mamba" || n == "micromamba") {
    if (has("--insecure") || HasArg(c, "-k")) return insecure;
    for (std::string_view o : {"-c", "--channel"})
      if (const auto v = value_of(o); v && v->find("://") != std::string::npos)
        return "fetches its packages from " + *v;
  } else if (n == "cargo") {
    for (std::string_view o : {"--index", "--registry"})
      if (set(o)) return "fetches its crates from " + *value_of(o);
  }
  return "";
}

bool IsNetworkTool(const SimpleCommand& c) {
  const std::string& n = c.name;
  return n == "nc" || n == "ncat" || n == "netcat" || n == "nc.traditional" || n == "nc.openbsd" || n == "telnet" ||
         n == "socat" || (n == "openssl" && HasArg(c, "s_client"));
}

bool IsDecoder(const SimpleCommand& c) {
  const std::string& n = c.name;
  if (n == "base64" || n == "base32" || n == "basenc") return HasFlag(c, 'd', "--decode") || HasFlag(c, 'D');
  if (n == "xxd") return HasFlag(c, 'r');
  if (n == "openssl") return HasArg(c, "enc") || HasArg(c, "base64") || HasFlag(c, 'd');
  return n == "uudecode" || n == "rev" || n == "gunzip" || n == "zcat" || n == "gzip" || n == "xz" || n == "bzip2" ||
         n == "tr" || n == "unxz" || n == "zstd" || n == "bunzip2";
}

}  // namespace

// The commands in crontab lines: five time fields (or @reboot…), a user
// for system tables, then the command.
std::string CronCommands(const std::string& table, bool with_user) {
  std::string out;
  for (std::string_view piece : Split(table, '\n')) {
    const std::string line(piece);
    size_t i = line.find_first_not_of(" \t");
    if (i == std::string::npos || line[i] == '#' || line.find('=') < line.find(' ')) continue;
    int fields = line[i] == '@' ? 1 : 5;
    if (with_user) ++fields;
    for (int f = 0; f < fields && i != std::string::npos; ++f) {
      i = line.find_first_of(" \t", i);
      if (i != std::string::npos) i = line.find_first_not_of(" \t", i);
    }
    if (i != std::string::npos) out += line.substr(i) + "\n";
  }
  return out;
}

namespace {

// True when an interpreter takes its program from standard input: no -c/-e
// inline code and no script file operand (or an explicit "-" / "-s").
// The process's own standard input under /proc (…/self/fd/0): the name is
// data the rules compare, not a file cmdai opens.
bool IsStdinAlias(const std::string& a) {
  return a.size() > 12 && a.compare(0, 6, "/proc/") == 0 && a.compare(a.size() - 5, 5, "/fd/0") == 0;
}

bool ReadsCodeFromStdin(const SimpleCommand& c) {
  if (!IsInterpreter(c.name)) return false;
  for (const auto& w : c.args) {
    const std::string& a = w.text;
    if (a == "-" || a == "-s" || a == "/dev/stdin" || a == "/dev/fd/0" || IsStdinAlias(a)) return true;
    if (a.size() > 1 && a[0] == '-') {
      if (a == "-c" || a == "-e" || a == "-E" || a == "-r" || a == "--command" || a == "-Command" || a == "--eval" ||
          a == "-m")
        return false;
      continue;
    }
    return false;  // a script file
  }
  return true;
}

std::string InlineCode(const SimpleCommand& c) {
  for (size_t i = 0; i + 1 < c.args.size(); ++i) {
    const std::string& a = c.args[i].text;
    if (a == "-c" || a == "-e" || a == "-E" || a == "-r" || a == "--eval" || a == "-Command" || a == "-command" ||
        (a.size() > 2 && a[0] == '-' && a.back() == 'e' && (c.name == "perl" || c.name == "ruby")) ||
        ((a == "-p" || a == "--print") && (c.name == "node" || c.name == "nodejs")))
      return c.args[i + 1].text;
  }
  return "";
}

// print("…") / console.log('…') / puts "…": the text such code prints.
bool PrintedLiteral(const std::string& code, std::string* text) {
  for (const char* fn : {"print(", "console.log(", "puts ", "print ", "echo "}) {
    if (code.rfind(fn, 0) != 0) continue;
    size_t i = std::string(fn).size();
    while (i < code.size() && code[i] == ' ') ++i;
    if (i >= code.size() || (code[i] != '"' && code[i] != '\'')) return false;
    const char q = code[i];
    const size_t e = code.find(q, i + 1);
    if (e == std::string::npos) return false;
    *text += code.substr(i + 1, e - i - 1);
    return true;
  }
  return false;
}

// Commands inside the $(…)/<(…) groups whose ids a word carries.
void GroupMembers(const ParsedScript& s, const std::vector<int>& groups, bool& downloads, bool& decodes) {
  for (const auto& other : s.commands)
    for (int g : groups)
      if (other.group == g) {
        downloads |= IsDownloader(other) || IsNetworkTool(other);
        decodes |= IsDecoder(other);
      }
}

}  // namespace

void ExecRules(RuleInput& in) {
  const SimpleCommand& c = in.cmd;
  const ParsedScript& s = in.script;

  // A command whose name is only known at run time.
  if (c.name_word.dynamic) {
    bool dl = false, dec = false;
    GroupMembers(s, c.name_word.substitutions, dl, dec);
    if (dl)
      Add(in, "exec.remote-code", Risk::kCritical, "runs a command fetched from the network", c.name_word.start,
          c.name_word.end);
    else if (dec)
      Add(in, "exec.decoded-code", Risk::kCritical, "runs a command decoded at run time (obfuscated)",
          c.name_word.start, c.name_word.end);
    else
      Add(in, "exec.dynamic-command", Risk::kHigh,
          "the command to run (" + c.name_word.text + ") is only known at run time", c.name_word.start,
          c.name_word.end);
    return;
  }

  // sh -c "$X", eval "$(…)": code built at run time.
  for (const auto& w : c.wrappers)
    if (w.find("(dynamic)") != std::string::npos) {
      std::vector<int> groups;
      for (const auto& a : c.args) groups.insert(groups.end(), a.substitutions.begin(), a.substitutions.end());
      bool dl = false, dec = false;
      GroupMembers(s, groups, dl, dec);
      if (dl)
        Add(in, "exec.remote-code", Risk::kCritical, "runs code downloaded from the network");
      else if (dec)
        Add(in, "exec.decoded-code", Risk::kCritical, "runs code decoded at run time (obfuscated)");
      else
        Add(in, "exec.dynamic-code", Risk::kHigh, "runs shell code that is only known at run time");
      return;
    }

  // bash <(curl …), source <(wget -O- …), python <(…), bash < <(curl …)
  if (IsInterpreter(c.name) || c.name == "source" || c.name == ".") {
    std::vector<Word> inputs(c.args.begin(), c.args.end());
    for (const auto& r : c.redirects)
      if (r.op == "<") inputs.push_back(r.target);
    for (const auto& a : inputs) {
      if (a.substitutions.empty()) continue;
      bool dl = false, dec = false;
      GroupMembers(s, a.substitutions, dl, dec);
      if (dl) {
        Add(in, "exec.remote-code", Risk::kCritical, c.name + " runs code downloaded from the network", a.start, a.end);
        return;
      }
      if (dec) {
        Add(in, "exec.decoded-code", Risk::kCritical, c.name + " runs code decoded at run time", a.start, a.end);
        return;
      }
    }
  }

  // source /dev/stdin, . /dev/fd/0: the current shell runs its input.
  if ((c.name == "source" || c.name == ".") && !c.args.empty() &&
      (c.args[0].text == "/dev/stdin" || c.args[0].text == "/dev/fd/0" || c.args[0].text == "-")) {
    SimpleCommand as_shell = c;
    as_shell.name = "sh";
    as_shell.args.clear();
    RuleInput shell_in{in.script, as_shell, in.index, in.out, in.code, in.disks};
    ExecRules(shell_in);
    return;
  }
  // … | xargs sh -c '{}', … | xargs -L1 sh -c: each input line runs as code.
  if (IsInterpreter(c.name) && c.args_from_stdin && c.pipeline_pos > 0 &&
      std::find(c.wrappers.begin(), c.wrappers.end(), "xargs") != c.wrappers.end()) {
    const std::string code = InlineCode(c);
    const bool from_input = code.empty() || code.find("{}") != std::string::npos ||
                            code.find("$@") != std::string::npos || code.find("$1") != std::string::npos ||
                            code.find("$0") != std::string::npos;
    if (from_input) {
      bool dl = false, net = false;
      for (const auto& other : s.commands)
        if (other.pipeline == c.pipeline && other.pipeline_pos < c.pipeline_pos && other.group == c.group) {
          dl |= IsDownloader(other);
          net |= IsNetworkTool(other);
        }
      if (dl || net)
        Add(in, "exec.remote-code", Risk::kCritical, "runs lines downloaded from the network as " + c.name + " code");
      else
        Add(in, "exec.piped-code", Risk::kHigh, "runs each line it reads as " + c.name + " code");
      return;
    }
  }

  // … | sh: an interpreter reading its program from a pipe.
  if (c.pipeline >= 0 && c.pipeline_pos > 0 && ReadsCodeFromStdin(c)) {
    bool dl = false, dec = false, net = false, literal = true;
    std::string text;
    for (const auto& other : s.commands) {
      if (other.pipeline != c.pipeline || other.pipeline_pos >= c.pipeline_pos || other.group != c.group) continue;
      dl |= IsDownloader(other);
      net |= IsNetworkTool(other);
      dec |= IsDecoder(other);
      if ((other.name == "echo" || other.name == "printf") && other.redirects.empty()) {
        bool escapes = other.name == "printf";
        for (const auto& w : other.args) {
          if (!w.text.empty() && w.text[0] == '-' && text.empty()) {
            escapes |= w.text == "-e";
            continue;
          }
          literal &= !w.dynamic;
          if (other.name == "printf" && text.empty() &&
              (w.text == "%b" || w.text == "%s" || w.text == "%b\\n" || w.text == "%s\\n"))
            continue;  // printf %b ARGS: the arguments are the text
          text += (text.empty() ? "" : " ") + (escapes ? DecodeEscapes(w.text) : w.text);
        }
      } else if (other.name == "cat" && !other.stdin_text.empty()) {
        text += other.stdin_text;
      } else if (IsCodeInterpreter(other.name) && PrintedLiteral(InlineCode(other), &text)) {
        // python3 -c 'print("rm -rf /")' | sh
      } else {
        literal = false;
      }
    }
    if (dl) {
      Add(in, "exec.remote-code", Risk::kCritical, "pipes code downloaded from the network into " + c.name);
    } else if (net) {
      Add(in, "net.reverse-shell", Risk::kCritical,
          "feeds what arrives over the network to " + c.name + " (a remote shell)");
    } else if (dec) {
      Add(in, "exec.decoded-code", Risk::kCritical, "pipes decoded (obfuscated) code into " + c.name);
    } else if (literal && !text.empty() && IsShellName(c.name) && in.code) {
      in.code->push_back({text, c.start, c.end});  // rated as the commands it is
      Add(in, "exec.piped-code", Risk::kModerate, "runs the text it is given as shell code");
    } else {
      Add(in, "exec.piped-code", Risk::kHigh, "runs whatever the previous command prints as " + c.name + " code");
    }
    return;
  }

  // at/batch run their input later; crontab - installs it as the whole table.
  const bool crontab_stdin =
      c.name == "crontab" &&
      (HasArg(c, "-") || (Operands(c, {"-u"}).empty() && !HasFlag(c, 'l') && !HasFlag(c, 'e') && !HasFlag(c, 'r')));
  if ((c.name == "at" || c.name == "batch" || crontab_stdin) && !HasFlag(c, 'l') &&
      !(c.name == "at" && (HasFlag(c, 'c') || HasFlag(c, 'r') || HasFlag(c, 'd')))) {
    std::string text = c.stdin_text;
    bool literal = true;
    if (text.empty() && c.pipeline >= 0 && c.pipeline_pos > 0)
      for (const auto& other : s.commands) {
        if (other.pipeline != c.pipeline || other.pipeline_pos >= c.pipeline_pos || other.group != c.group) continue;
        if (other.name == "echo" || other.name == "printf") {
          for (const auto& w : other.args)
            if (w.text.empty() || w.text[0] != '-') {
              literal &= !w.dynamic;
              text += (text.empty() ? "" : " ") + w.text;
            }
        } else {
          literal = false;
        }
      }
    if (c.name == "crontab") text = CronCommands(text, /*with_user=*/false);
    if (!text.empty() && literal && in.code) in.code->push_back({text, c.start, c.end});
    if (c.name != "crontab" && (!text.empty() || (c.pipeline >= 0 && c.pipeline_pos > 0)))
      Add(in, "persist.scheduled", Risk::kHigh, c.name + " schedules commands to run later, unattended");
    if (c.name != "crontab" || (!text.empty() || c.pipeline_pos > 0)) return;
  }

  // A shell fed a here-document or here-string: that text is its program.
  if (IsShellName(c.name) && !c.stdin_text.empty() && ReadsCodeFromStdin(c) && in.code) {
    in.code->push_back({c.stdin_text, c.start, c.end});
    return;
  }

  // The network tools that make listeners and shells.
  if (c.name == "nc" || c.name == "ncat" || c.name == "netcat" || c.name == "nc.traditional" ||
      c.name == "nc.openbsd") {
    for (const auto& w : c.args)
      if (w.text == "-e" || w.text == "-c" || w.text == "--exec" || w.text == "--sh-exec" || w.text == "--lua-exec" ||
          (w.text.size() > 2 && w.text[0] == '-' && w.text[1] != '-' && w.text.back() == 'e')) {
        Add(in, "net.shell-exec", Risk::kCritical, c.name + " hands a shell to whoever connects", w.start, w.end);
        return;
      }
    // A shell anywhere in the same pipeline: nc … | sh, sh | nc …
    for (const auto& other : s.commands)
      if (other.pipeline == c.pipeline && c.pipeline >= 0 && &other != &c && IsShellName(other.name)) {
        Add(in, "net.reverse-shell", Risk::kCritical, c.name + " connects a shell to the network");
        return;
      }
    if (HasFlag(c, 'l', "--listen"))
      Add(in, "net.listener", Risk::kModerate, c.name + " listens for network connections");
    return;
  }
  if (c.name == "socat") {
    for (const auto& w : c.args) {
      std::string l = Lower(w.text);
      if (l.find("exec:") != std::string::npos || l.find("system:") != std::string::npos) {
        Add(in, "net.shell-exec", Risk::kCritical, "socat runs a program for a network peer", w.start, w.end);
        return;
      }
    }
    Add(in, "net.listener", Risk::kModerate, "socat relays network connections");
    return;
  }
  if (c.name == "mkfifo") Add(in, "exec.fifo", Risk::kModerate, "creates a named pipe");

  // Scripts and inline code: cmdai cannot see what they do.
  if (IsInterpreter(c.name)) {
    if (!InlineCode(c).empty()) {
      if (!IsShellName(c.name)) InterpreterCode(in, InlineCode(c), "given on the command line");
      return;  // shell code was re-parsed and rated as commands
    }
    if (IsShellName(c.name) && HasFlag(c, 'n', "--noexec")) return;  // bash -n: a syntax check, runs nothing
    auto ops = Operands(c, {"-m", "-W", "-X", "-O", "-I", "-r", "--require"});
    if (c.name.rfind("python", 0) == 0 && HasArg(c, "json.tool")) return;  // pretty-prints JSON
    if (c.name.rfind("python", 0) == 0 && HasFlag(c, 'm')) {
      Add(in, "exec.script", Risk::kModerate, "runs a Python module");
      return;
    }
    if (!ops.empty() && ops[0]->text.find('{') != std::string::npos && !c.wrappers.empty() &&
        c.wrappers.back().rfind("find", 0) == 0)
      Add(in, "exec.script", Risk::kHigh, "runs every file find matches as a script, unseen", ops[0]->start,
          ops[0]->end);
    else if (!ops.empty())
      Add(in, "exec.script", Risk::kModerate, "runs the script " + ops[0]->text + ", whose contents cmdai cannot see",
          ops[0]->start, ops[0]->end);
    else if (!c.privileged)
      Add(in, "exec.shell", Risk::kModerate, "starts an interactive " + c.name);
    return;
  }
  if (c.name == "source" || c.name == ".") {
    if (!c.args.empty())
      Add(in, "exec.script", Risk::kModerate, "runs the shell script " + c.args[0].text + " in the current shell");
    return;
  }
  if (c.name_word.text.find('/') != std::string::npos) {
    Add(in, "exec.script", Risk::kModerate,
        "runs the program " + c.name_word.text + ", whose contents cmdai cannot see", c.name_word.start,
        c.name_word.end);
    return;
  }
  if (c.name == "make" || c.name == "cmake" || c.name == "ninja" || c.name == "gradle" || c.name == "mvn" ||
      c.name == "ant" || c.name == "bazel" || c.name == "just" || c.name == "task" || c.name == "rake")
    Add(in, "exec.project", Risk::kModerate, c.name + " runs the project's build scripts");

  // The trust a download or a package fetch rests on.
  if (const std::string why = TrustOption(c); !why.empty()) Add(in, "net.trust", Risk::kModerate, c.name + " " + why);

  // Downloads and uploads.
  if (IsDownloader(c)) {
    bool writes = c.name == "wget" || c.name == "aria2c" || c.name == "wget2" || c.name == "fetch";
    if (c.name == "wget" &&
        (HasArg(c, "-O-") || HasArg(c, "-qO-") || HasArg(c, "-O") || HasArg(c, "--output-document=-")))
      for (size_t i = 0; i < c.args.size(); ++i)
        if (c.args[i].text == "-O-" || c.args[i].text == "-qO-" || c.args[i].text == "--output-document=-" ||
            (c.args[i].text == "-O" && i + 1 < c.args.size() && c.args[i + 1].text == "-"))
          writes = false;
    if (c.name == "curl")
      writes = (HasFlag(c, 'o', "--output") && !HasArg(c, "/dev/null")) || HasFlag(c, 'O', "--remote-name") ||
               HasArg(c, "--remote-name-all");
    for (size_t i = 0; i < c.args.size(); ++i) {
      const std::string& a = c.args[i].text;
      if ((a == "-T" || a == "--upload-file" || a == "-d" || a == "--data" || a == "--data-binary" || a == "-F" ||
           a == "--form" || a == "--post-file") &&
          i + 1 < c.args.size()) {
        std::string file = c.args[i + 1].text;
        if (auto at = file.find('@'); at != std::string::npos) file = file.substr(at + 1);
        PathClass p = ClassifyPath(file, c.args[i + 1].dynamic, c.cwd);
        if (p.kind == PathKind::kSecret || p.kind == PathKind::kCriticalFile || p.kind == PathKind::kHistory) {
          Add(in, "net.exfiltrate", Risk::kHigh, "uploads " + p.shown + " to a remote server", c.args[i + 1].start,
              c.args[i + 1].end);
          return;
        }
        Add(in, "net.upload", Risk::kModerate, c.name + " sends data to a server");
        return;
      }
      if ((a == "-X" || a == "--request") && i + 1 < c.args.size() &&
          (c.args[i + 1].text == "DELETE" || c.args[i + 1].text == "PUT" || c.args[i + 1].text == "POST" ||
           c.args[i + 1].text == "PATCH")) {
        Add(in, "net.upload", Risk::kModerate, c.name + " sends a " + c.args[i + 1].text + " request");
        return;
      }
    }
    if (writes) Add(in, "net.download", Risk::kModerate, c.name + " downloads a file to disk");
  }
}

}  // namespace cmdai::safety::detail
