// SPDX-License-Identifier: MIT
#include "safety/path_class.h"

#include <fnmatch.h>

#include <array>
#include <string_view>
#include <vector>

#include "common/split.h"

namespace cmdai::safety {
namespace {

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// Replaces $HOME / ${HOME} / ~ at the start by "~" so home paths look alike.
std::string CanonicalHome(std::string p) {
  for (std::string_view h : {"${HOME}", "$HOME"})
    if (StartsWith(p, h)) {
      // (GCC 12 warns falsely on `"~" + std::string`; build it by append.)
      std::string out = "~";
      out.append(p, h.size(), std::string::npos);
      return out;
    }
  return p;
}

bool AllGlob(const std::string& s) { return s == "*" || s == ".*" || s == "{}" || s == "*.*" || s == ".[!.]*"; }

constexpr std::array<std::string_view, 26> kSystemTop = {
    "bin",     "boot",         "dev",     "etc",  "lib", "lib32", "lib64", "libx32", "opt",
    "proc",    "root",         "run",     "sbin", "sys", "usr",   "var",   "snap",   "System",
    "Library", "Applications", "private", "nix",  "gnu", "cores", "efi",   "home"};

bool IsSystemTop(std::string_view s) {
  for (auto t : kSystemTop)
    if (s == t) return true;
  return false;
}

bool IsHistoryName(std::string_view n) {
  return n == ".bash_history" || n == ".zsh_history" || n == ".history" || n == ".sh_history" || n == "fish_history" ||
         n == ".zhistory" || n == ".python_history" || n == ".mysql_history" || n == ".psql_history" ||
         n == ".lesshst" || n == ".node_repl_history";
}

bool IsSecretDir(std::string_view n) {
  return n == ".ssh" || n == ".gnupg" || n == ".aws" || n == ".kube" || n == ".docker" || n == ".password-store" ||
         n == ".azure" || n == ".gcloud";
}

// Files that hold credentials wherever they are.
bool IsSecretFile(std::string_view n) {
  if (n == ".netrc" || n == ".pgpass" || n == ".git-credentials" || n == ".npmrc" || n == ".pypirc" ||
      n == ".vault-token" || n == ".my.cnf" || n == "id_rsa" || n == "id_ed25519" || n == "id_ecdsa" || n == "id_dsa" ||
      n == "credentials" || n == "hosts.yml" || n == ".env")
    return true;
  auto ends = [&](std::string_view suffix) {
    return n.size() > suffix.size() && n.substr(n.size() - suffix.size()) == suffix;
  };
  return ends(".pem") || ends(".key") || ends(".p12") || ends(".pfx") || ends(".kdbx");
}

// Files (relative to a home directory) whose contents a shell or the desktop runs later.
bool IsStartupInHome(const std::vector<std::string>& parts) {
  if (parts.empty()) return false;
  const std::string& f = parts[0];
  if (parts.size() == 1)
    return f == ".bashrc" || f == ".bash_profile" || f == ".bash_login" || f == ".bash_logout" || f == ".profile" ||
           f == ".zshrc" || f == ".zprofile" || f == ".zshenv" || f == ".zlogin" || f == ".xinitrc" ||
           f == ".xprofile" || f == ".xsessionrc" || f == ".kshrc" || f == ".mkshrc" || f == ".cshrc" ||
           f == ".tcshrc" || f == ".gitconfig";
  if (f == ".config" && parts.size() >= 3)
    return (parts[1] == "fish" && (parts[2] == "config.fish" || parts[2] == "conf.d" || parts[2] == "functions")) ||
           parts[1] == "autostart" || (parts[1] == "systemd" && parts[2] == "user");
  if (f == "Library" && parts.size() >= 2) return parts[1] == "LaunchAgents";
  if (f == ".ssh" && parts.size() == 2) return parts[1] == "rc" || parts[1] == "authorized_keys";
  return false;
}

// Resolves a glob in the first component of an absolute path (`/bi*`,
// `/???/rm`) to the system directory it can match, so it is rated as that.
void ResolveTopGlob(std::vector<std::string>& parts);

PathClass Absolute(const std::string& shown, std::vector<std::string> parts, bool trailing_glob) {
  PathClass c{PathKind::kOrdinary, shown};
  ResolveTopGlob(parts);
  if (parts.empty()) {
    c.kind = PathKind::kRoot;
    return c;
  }
  const std::string& top = parts[0];
  const size_t n = parts.size();
  if (n == 1 && AllGlob(top)) {
    c.kind = PathKind::kRoot;
    return c;
  }
  if (top == "dev") {
    if (n == 1 || (n == 2 && AllGlob(parts[1]))) {
      c.kind = PathKind::kSystemDir;
      return c;
    }
    const std::string& d = parts[1];
    if (d == "tcp" || d == "udp")
      c.kind = PathKind::kNetworkDevice;
    else if (d == "null" || d == "zero" || d == "random" || d == "urandom" || d == "stdout" || d == "stderr" ||
             d == "stdin" || d == "tty" || d == "fd" || d == "pts" || d == "full" || d == "shm" || d == "ptmx")
      // Not harmless: a file in /dev/shm; another terminal (/dev/pts/N: text
      // typed into someone's session); a descriptor other than the standard
      // three (/dev/fd/3, /dev/fd/255: whatever file the shell opened there).
      c.kind = (d == "shm" && n > 2) || (d == "pts" && n > 2) ||
                       (d == "fd" && n > 2 && parts[2] != "0" && parts[2] != "1" && parts[2] != "2")
                   ? PathKind::kOrdinary
                   : PathKind::kHarmlessDevice;
    else
      c.kind = PathKind::kBlockDevice;  // sd*, nvme*, hd*, vd*, xvd*, mmcblk*, disk*, dm-*, mapper/*, md*, mem, …
    return c;
  }
  if (top == "proc" && n >= 2 && parts[1] == "sysrq-trigger") {
    c.kind = PathKind::kCriticalFile;
    return c;
  }
  if ((top == "proc" && n >= 2 && parts[1] == "sys") || (top == "sys" && n >= 2)) {
    c.kind = PathKind::kKernel;
    return c;
  }
  if (top == "boot" && n >= 2) {
    c.kind = PathKind::kCriticalFile;
    return c;
  }
  if ((top == "etc" && n >= 2 &&
       (parts[1] == "profile" || parts[1] == "profile.d" || parts[1] == "bash.bashrc" || parts[1] == "zsh" ||
        parts[1] == "crontab" || parts[1] == "cron.d" || parts[1] == "cron.hourly" || parts[1] == "cron.daily" ||
        parts[1] == "rc.local" || parts[1] == "environment")) ||
      (top == "var" && n >= 3 && parts[1] == "spool" && parts[2] == "cron")) {
    c.kind = PathKind::kStartup;
    return c;
  }
  if (top == "var" && n >= 3 && parts[1] == "lib" &&
      (parts[2] == "dpkg" || parts[2] == "rpm" || parts[2] == "apt" || parts[2] == "pacman" || parts[2] == "dnf" ||
       parts[2] == "yum")) {
    // The package database: without it the system cannot be updated or repaired.
    c.kind = n == 3                                      ? PathKind::kSystemDir
             : (parts[2] == "dpkg" || parts[2] == "rpm") ? PathKind::kCriticalFile
                                                         : PathKind::kSystemPath;
    return c;
  }
  {  // Programs the system cannot start or log in without.
    const std::string last = parts.back();
    const bool bin = (n == 2 && (top == "bin" || top == "sbin")) ||
                     (n == 3 && top == "usr" && (parts[1] == "bin" || parts[1] == "sbin"));
    if (bin && (last == "sh" || last == "bash" || last == "dash" || last == "sudo" || last == "su" || last == "login" ||
                last == "init" || last == "systemd" || last == "mount" || last == "ls" || last == "env")) {
      c.kind = PathKind::kCriticalFile;
      return c;
    }
    if ((top == "lib" || top == "lib64" || (top == "usr" && n >= 2 && (parts[1] == "lib" || parts[1] == "lib64"))) &&
        (last.rfind("ld-linux", 0) == 0 || last.rfind("libc.so", 0) == 0 || last.rfind("ld-musl", 0) == 0)) {
      c.kind = PathKind::kCriticalFile;
      return c;
    }
  }
  if (top == "etc" && n == 2 && AllGlob(parts[1])) {  // /etc/*: everything in it
    c.kind = PathKind::kSystemDir;
    return c;
  }
  if (top == "etc" && n >= 2) {
    const std::string& f = parts[1];
    if (f == "passwd" || f == "shadow" || f == "group" || f == "gshadow" || f == "sudoers" || f == "sudoers.d" ||
        f == "fstab" || f == "ld.so.preload" || f == "pam.d" || f == "security" || f == "crypttab" || f == "inittab" ||
        f == "login.defs" || f == "nsswitch.conf")
      c.kind = PathKind::kCriticalFile;
    else
      c.kind = PathKind::kSystemPath;
    return c;
  }
  if (top == "var" && n >= 2 && parts[1] == "log") {
    c.kind = n == 2 || (n == 3 && AllGlob(parts[2])) ? PathKind::kSystemDir : PathKind::kLog;
    if (n >= 3 && (parts[2] == "wtmp" || parts[2] == "btmp" || parts[2] == "lastlog")) c.kind = PathKind::kLog;
    return c;
  }
  if (top == "home" && n >= 2) {
    if (n == 2 || (n == 3 && AllGlob(parts[2]))) {
      c.kind = AllGlob(parts[1]) ? PathKind::kSystemDir : PathKind::kHome;
      return c;
    }
    if (IsSecretDir(parts[2]) || IsSecretFile(parts.back()))
      c.kind = PathKind::kSecret;
    else if (IsStartupInHome(std::vector<std::string>(parts.begin() + 2, parts.end())))
      c.kind = PathKind::kStartup;
    else if (IsHistoryName(parts.back()))
      c.kind = PathKind::kHistory;
    return c;
  }
  if (top == "root") {
    if (n == 1 || (n == 2 && AllGlob(parts[1])))
      c.kind = PathKind::kHome;
    else if (IsSecretDir(parts[1]))
      c.kind = PathKind::kSecret;
    else if (IsHistoryName(parts.back()))
      c.kind = PathKind::kHistory;
    else
      c.kind = PathKind::kSystemPath;
    return c;
  }
  if (top == "tmp" || top == "mnt" || top == "media" || top == "srv" || top == "data" || top == "Volumes" ||
      top == "Users" || !IsSystemTop(top)) {
    if (n == 1 || (n == 2 && AllGlob(parts[1]))) c.kind = PathKind::kTopLevel;
    if (top == "Users" && n >= 2 && (n == 2 || (n == 3 && AllGlob(parts[2])))) c.kind = PathKind::kHome;
    return c;
  }
  // A system directory itself, everything in it, or a well-known second level
  // (/usr/bin, /usr/lib, /var/lib, …).
  if (n == 1 || (n == 2 && AllGlob(parts[1])) || trailing_glob) {
    c.kind = n <= 2 ? PathKind::kSystemDir : PathKind::kSystemPath;
    return c;
  }
  if (n == 2 && (top == "usr" || top == "var" || top == "opt" || top == "lib" || top == "snap")) {
    c.kind = PathKind::kSystemDir;
    return c;
  }
  if (n == 3 && top == "usr" && parts[1] == "local" && AllGlob(parts[2])) {
    c.kind = PathKind::kSystemDir;
    return c;
  }
  c.kind = PathKind::kSystemPath;
  return c;
}

void ResolveTopGlob(std::vector<std::string>& parts) {
  if (parts.empty() || parts[0].find_first_of("*?[") == std::string::npos || AllGlob(parts[0])) return;
  for (auto t : kSystemTop)
    if (fnmatch(parts[0].c_str(), std::string(t).c_str(), 0) == 0) {
      parts[0] = std::string(t);
      return;
    }
}

}  // namespace

std::vector<std::string> SplitPath(const std::string& p, bool keep_unresolved) {
  std::vector<std::string> parts;
  for (std::string_view part : Split(p, '/')) {
    if (part == "..") {
      if (!parts.empty() && parts.back() != ".." && parts.back() != "~")
        parts.pop_back();
      else if (keep_unresolved)
        parts.emplace_back(part);
    } else if (!part.empty() && part != ".") {
      parts.emplace_back(part);
    }
  }
  return parts;
}

bool NamesHome(const std::string& text) {
  return text == "$HOME" || text == "${HOME}" || text.rfind("$HOME/", 0) == 0 || text.rfind("${HOME}/", 0) == 0;
}

bool IsCriticalTree(PathKind k) {
  return k == PathKind::kRoot || k == PathKind::kHome || k == PathKind::kSystemDir || k == PathKind::kDynamicRoot ||
         k == PathKind::kCriticalFile || k == PathKind::kBlockDevice;
}

PathClass ClassifyPath(const std::string& raw, bool dynamic, const std::string& cwd) {
  std::string p = CanonicalHome(raw);
  // A found path from `find ROOT -exec … {}`: anything under ROOT.
  if (auto brace = p.find("{}"); brace != std::string::npos) p = p.substr(0, brace) + "*";
  // One file that a filtered `find ROOT -name … -exec` matched: a path below ROOT.
  if (auto found = p.find("{found}"); found != std::string::npos) p.replace(found, 7, "found-file");
  const bool home_only_dynamic = dynamic && raw.find('$') != std::string::npos &&
                                 CanonicalHome(raw).find('$') == std::string::npos &&
                                 raw.find("$(") == std::string::npos && raw.find('`') == std::string::npos;
  if (dynamic && !home_only_dynamic) {
    if (p.empty() || p[0] == '$' || p[0] == '`') {
      // "$DIR/…" becomes "/…" when DIR is empty or unset.
      auto slash = p.find('/');
      if (slash != std::string::npos) {
        std::string rest = p.substr(slash);
        PathClass inner = ClassifyPath(rest, rest.find('$') != std::string::npos, "");
        if (IsCriticalTree(inner.kind) || inner.kind == PathKind::kOrdinary || inner.kind == PathKind::kTopLevel)
          return {PathKind::kDynamicRoot, raw};
        inner.shown = raw;
        return inner;
      }
    }
    // A literal prefix can still tell: "/etc/$X" is inside /etc; "/home/$USER"
    // is a home directory.
    auto dollar = p.find_first_of("$`");
    std::string prefix = p.substr(0, dollar);
    if ((prefix == "/home/" || prefix == "/Users/") && p.find('/', dollar) == std::string::npos)
      return {PathKind::kHome, raw};
    auto last_slash = prefix.rfind('/');
    if (last_slash != std::string::npos && last_slash > 0) {
      PathClass inner = ClassifyPath(prefix.substr(0, last_slash), false, cwd);
      if (inner.kind != PathKind::kOrdinary && inner.kind != PathKind::kCwdAll) {
        if (inner.kind == PathKind::kSystemDir || inner.kind == PathKind::kHome) inner.kind = PathKind::kSystemPath;
        inner.shown = raw;
        return inner;
      }
    }
    return {PathKind::kDynamic, raw};
  }
  if (p.empty()) return {PathKind::kOrdinary, raw};

  // Home-relative.
  if (p[0] == '~') {
    auto slash = p.find('/');
    std::string user = p.substr(1, slash == std::string::npos ? std::string::npos : slash - 1);
    std::string rest = slash == std::string::npos ? "" : p.substr(slash);
    auto parts = SplitPath(rest);
    if (parts.empty() || (parts.size() == 1 && AllGlob(parts[0]))) return {PathKind::kHome, raw};
    if (IsStartupInHome(parts)) return {PathKind::kStartup, raw};
    if (IsSecretDir(parts[0]) || IsSecretFile(parts.back())) return {PathKind::kSecret, raw};
    if (IsHistoryName(parts.back())) return {PathKind::kHistory, raw};
    (void)user;
    return {PathKind::kOrdinary, raw};
  }

  // Resolve a relative path against a known cwd.
  if (p[0] != '/') {
    if (cwd == "?") return {PathKind::kDynamic, raw};
    if (!cwd.empty()) {
      std::string joined = cwd == "/" ? std::string() : cwd;
      joined.append("/").append(p);
      PathClass c = ClassifyPath(joined, false, "");
      c.shown = joined;
      return c;
    }
    auto parts = SplitPath(p);
    if (parts.empty() || (parts.size() == 1 && AllGlob(parts[0])) || p == ".." || StartsWith(p, "../") ||
        (p.size() >= 2 && p.substr(p.size() - 2) == "..")) {
      // Leading ".." can climb anywhere; everything here is everything here.
      if (parts.empty() || AllGlob(parts.back()) || p.find("..") != std::string::npos) return {PathKind::kCwdAll, raw};
    }
    if (!parts.empty() && IsHistoryName(parts.back())) return {PathKind::kHistory, raw};
    if (!parts.empty() && IsSecretDir(parts[0]) && cwd == "~") return {PathKind::kSecret, raw};
    return {PathKind::kOrdinary, raw};
  }

  const bool trailing_glob = !p.empty() && (p.back() == '*');
  auto parts = SplitPath(p);
  return Absolute(raw, parts, trailing_glob && parts.size() > 2 && false);
}

}  // namespace cmdai::safety
