// SPDX-License-Identifier: MIT
#include "ground/resolver.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>

#include "common/split.h"

namespace cmdai::ground {
namespace {

using Names = std::set<std::string>;

const Names& Keywords(const std::string& shell) {
  static const Names bash = {"!",    "[[", "]]",  "{",        "}",  "case", "coproc", "do",   "done", "elif",  "else",
                             "esac", "fi", "for", "function", "if", "in",   "select", "then", "time", "until", "while"};
  static const Names zsh = {"!",    "[[",        "]]",     "{",      "}",    "case", "coproc",  "do",       "done",
                            "elif", "else",      "end",    "esac",   "fi",   "for",  "foreach", "function", "if",
                            "in",   "nocorrect", "repeat", "select", "then", "time", "until",   "while"};
  static const Names fish = {"and", "begin", "break", "case",   "continue", "else", "end",   "for", "function",
                             "if",  "not",   "or",    "return", "switch",   "time", "while", "!"};
  static const Names sh = {"!",    "{",  "}",   "case", "do", "done", "elif",  "else",
                           "esac", "fi", "for", "if",   "in", "then", "until", "while"};
  if (shell == "zsh") return zsh;
  if (shell == "fish") return fish;
  if (shell == "sh") return sh;
  return bash;
}

const Names& Builtins(const std::string& shell) {
  static const Names bash = {".",      ":",       "[",         "alias",    "bg",       "bind",    "break",    "builtin",
                             "caller", "cd",      "command",   "compgen",  "complete", "compopt", "continue", "declare",
                             "dirs",   "disown",  "echo",      "enable",   "eval",     "exec",    "exit",     "export",
                             "false",  "fc",      "fg",        "getopts",  "hash",     "help",    "history",  "jobs",
                             "kill",   "let",     "local",     "logout",   "mapfile",  "popd",    "printf",   "pushd",
                             "pwd",    "read",    "readarray", "readonly", "return",   "set",     "shift",    "shopt",
                             "source", "suspend", "test",      "times",    "trap",     "true",    "type",     "typeset",
                             "ulimit", "umask",   "unalias",   "unset",    "wait"};
  static const Names zsh = {
      ".",       ":",        "[",          "alias",     "autoload", "bg",       "bindkey",  "break",      "builtin",
      "bye",     "cd",       "chdir",      "command",   "compdef",  "continue", "declare",  "dirs",       "disable",
      "disown",  "echo",     "emulate",    "enable",    "eval",     "exec",     "exit",     "export",     "false",
      "fc",      "fg",       "float",      "functions", "getln",    "getopts",  "hash",     "history",    "integer",
      "jobs",    "kill",     "let",        "limit",     "local",    "logout",   "noglob",   "popd",       "print",
      "printf",  "pushd",    "pushln",     "pwd",       "r",        "read",     "readonly", "rehash",     "return",
      "sched",   "set",      "setopt",     "shift",     "source",   "suspend",  "test",     "times",      "trap",
      "true",    "ttyctl",   "type",       "typeset",   "ulimit",   "umask",    "unalias",  "unfunction", "unhash",
      "unlimit", "unset",    "unsetopt",   "vared",     "wait",     "whence",   "where",    "which",      "zcompile",
      "zle",     "zmodload", "zparseopts", "zstyle",    "zformat"};
  static const Names fish = {
      ".",          ":",       "[",      "_",       "abbr",        "argparse", "bg",       "bind",      "block",
      "breakpoint", "builtin", "cd",     "command", "commandline", "complete", "contains", "count",     "disown",
      "echo",       "emit",    "eval",   "exec",    "exit",        "false",    "fg",       "functions", "history",
      "jobs",       "math",    "path",   "printf",  "pwd",         "random",   "read",     "realpath",  "set",
      "set_color",  "source",  "status", "string",  "test",        "true",     "type",     "ulimit",    "wait"};
  static const Names sh = {".",        ":",        "[",      "alias", "bg",      "break",  "cd",     "command",
                           "continue", "echo",     "eval",   "exec",  "exit",    "export", "false",  "fc",
                           "fg",       "getopts",  "hash",   "jobs",  "kill",    "local",  "printf", "pwd",
                           "read",     "readonly", "return", "set",   "shift",   "test",   "times",  "trap",
                           "true",     "type",     "ulimit", "umask", "unalias", "unset",  "wait"};
  if (shell == "zsh") return zsh;
  if (shell == "fish") return fish;
  if (shell == "sh") return sh;
  return bash;
}

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> dirs;
  for (std::string_view dir : Split(path, ':'))
    // An empty entry means the working directory; a relative one depends on
    // it too: neither is searched (the command may run elsewhere).
    if (!dir.empty() && dir[0] == '/') dirs.emplace_back(dir);
  return dirs;
}

bool ValidName(const std::string& name) {
  if (name.empty() || name.size() > 255 || name.find('/') != std::string::npos) return false;
  for (unsigned char c : name)
    if (c < 0x21 || c == 0x7f) return false;
  return true;
}

// Names an alias or function line defines: "alias ll='ls -l'", "alias -g X=…",
// "alias ll 'ls -l'" (fish), "function name", "name() {", "abbr -a name …".
void DefinedNames(const std::string& line_in, std::set<std::string>& out) {
  size_t i = 0;
  const std::string& line = line_in;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  auto word = [&](size_t& p) {
    while (p < line.size() && (line[p] == ' ' || line[p] == '\t')) ++p;
    const size_t b = p;
    while (p < line.size() && line[p] != ' ' && line[p] != '\t' && line[p] != '=' && line[p] != '(' && line[p] != ';' &&
           line[p] != '{')
      ++p;
    return line.substr(b, p - b);
  };
  size_t p = i;
  const std::string first = word(p);
  if (first == "alias" || first == "function" || first == "abbr") {
    std::string w = word(p);
    while (!w.empty() && w[0] == '-') w = word(p);  // options: alias -g, abbr -a
    if (w.size() >= 2 && (w[0] == '\'' || w[0] == '"') && w.back() == w[0]) w = w.substr(1, w.size() - 2);
    if (ValidName(w)) out.insert(w);
    return;
  }
  // name() {
  size_t q = p;
  while (q < line.size() && (line[q] == ' ' || line[q] == '\t')) ++q;
  if (q + 1 < line.size() && line[q] == '(' && line[q + 1] == ')' && ValidName(first)) out.insert(first);
}

void ScanStartupFile(const std::string& file, std::set<std::string>& out) {
  std::ifstream in(file);
  if (!in) return;
  std::string line;
  size_t read = 0;
  while (std::getline(in, line) && read < (1u << 20)) {
    read += line.size() + 1;
    DefinedNames(line, out);
  }
}

}  // namespace

bool IsShellKeyword(const std::string& shell, const std::string& name) { return Keywords(shell).count(name) > 0; }
bool IsShellBuiltin(const std::string& shell, const std::string& name) { return Builtins(shell).count(name) > 0; }

bool IsExecutableFile(const std::string& path) {
  struct stat st = {};
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
}

Resolver::Resolver(std::string shell, std::string path, std::string home)
    : shell_(std::move(shell)), path_(std::move(path)), home_(std::move(home)), dirs_(SplitPath(path_)) {}

std::string Resolver::FindExecutable(const std::string& name) {
  if (!ValidName(name)) return "";
  for (const auto& d : dirs_) {
    std::string p = d + "/" + name;
    if (IsExecutableFile(p)) return p;
  }
  return "";
}

void Resolver::LoadStartupFiles() {
  startup_loaded_ = true;
  if (!home_.empty() && home_[0] == '/') {
    std::vector<std::string> files;
    if (shell_ == "bash")
      files = {".bashrc", ".bash_aliases", ".bash_profile", ".profile"};
    else if (shell_ == "zsh")
      files = {".zshrc", ".zshenv", ".zprofile", ".zsh_aliases"};
    else if (shell_ == "fish")
      files = {".config/fish/config.fish"};
    else if (shell_ == "sh")
      files = {".profile", ".shrc"};
    for (const auto& f : files) ScanStartupFile(home_ + "/" + f, defined_);
    if (shell_ == "fish") {
      std::error_code ec;
      for (const auto& e : std::filesystem::directory_iterator(home_ + "/.config/fish/conf.d", ec))
        if (e.path().extension() == ".fish") ScanStartupFile(e.path().string(), defined_);
      fish_function_dirs_.push_back(home_ + "/.config/fish/functions");
    }
  }
  if (shell_ == "fish") {
    // The functions fish ships live next to it: PREFIX/bin/fish → PREFIX/share/fish.
    const std::string fish = FindExecutable("fish");
    if (!fish.empty()) {
      std::error_code ec;
      const auto real = std::filesystem::canonical(fish, ec);
      const auto prefix = (ec ? std::filesystem::path(fish) : real).parent_path().parent_path();
      fish_function_dirs_.push_back((prefix / "share/fish/functions").string());
      fish_function_dirs_.push_back((prefix / "share/fish/vendor_functions.d").string());
    }
    fish_function_dirs_.push_back("/usr/share/fish/vendor_functions.d");
    fish_function_dirs_.push_back("/usr/local/share/fish/vendor_functions.d");
  }
}

Resolution Resolver::Resolve(const std::string& name) {
  if (!ValidName(name)) return {};
  if (auto it = memo_.find(name); it != memo_.end()) return it->second;
  Resolution r;
  if (IsShellKeyword(shell_, name)) {
    r.kind = NameKind::kKeyword;
  } else if (IsShellBuiltin(shell_, name)) {
    r.kind = NameKind::kBuiltin;
  } else if (r.path = FindExecutable(name); !r.path.empty()) {
    // Before aliases and functions: an alias usually wraps the program of
    // the same name (alias ls='ls --color'), whose options are what count.
    r.kind = NameKind::kExecutable;
  } else {
    if (!startup_loaded_) LoadStartupFiles();
    if (defined_.count(name)) r.kind = NameKind::kAlias;
    for (const auto& d : fish_function_dirs_)
      if (r.kind == NameKind::kMissing && std::filesystem::exists(d + "/" + name + ".fish"))
        r.kind = NameKind::kFunction;
  }
  memo_[name] = r;
  return r;
}

}  // namespace cmdai::ground
