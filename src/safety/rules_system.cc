// SPDX-License-Identifier: MIT
// Rules for the system: privilege, power and services, processes, packages,
// firewalls, cron, users, kernel and boot, history and log tampering, and the
// terminal itself (control sequences that set the clipboard or answer back).
#include <cstring>

#include "safety/read_only_profiles.h"
#include "safety/rule_util.h"

namespace cmdai::safety::detail {
namespace {

void Privilege(RuleInput& in) {
  const SimpleCommand& c = in.cmd;
  if (!c.privileged) return;
  const bool fed = c.pipeline_pos > 0 || !c.stdin_text.empty();  // `… | sudo bash` runs what it is fed
  const bool root_shell = !fed && (c.name == "sudo" || c.name == "su" || c.name == "doas" || c.name == "pkexec" ||
                                   c.name == "run0" || (IsShellName(c.name) && Operands(c).empty()));
  const bool sudo_query = c.name == "sudo" && (HasFlag(c, 'l', "--list") || HasFlag(c, 'v', "--validate") ||
                                               HasFlag(c, 'k', "--reset-timestamp") || HasFlag(c, 'K') ||
                                               HasFlag(c, 'V', "--version") || HasArg(c, "--help"));
  if (sudo_query) return;  // sudo -l lists the rights, -v/-k handle the cached password
  if (root_shell && (c.name != "sudo" || HasFlag(c, 'i', "--login") || HasFlag(c, 's', "--shell") || c.args.empty() ||
                     Operands(c).empty()))
    Add(in, "priv.root-shell", Risk::kHigh, "opens a shell as root, where any later command runs unchecked");
  else
    Add(in, "priv.elevated", Risk::kModerate,
        "runs as root (" + (c.wrappers.empty() ? c.name : c.wrappers.front()) + ")");
}

void Power(RuleInput& in) {
  const SimpleCommand& c = in.cmd;
  const std::string& n = c.name;
  if (n == "shutdown" || n == "reboot" || n == "poweroff" || n == "halt") {
    if (n == "shutdown" && HasFlag(c, 'c'))
      Add(in, "system.power", Risk::kModerate, "cancels a scheduled shutdown");
    else
      Add(in, "system.power", Risk::kHigh, n + " stops the machine and everything running on it");
    return;
  }
  if ((n == "init" || n == "telinit") && !c.args.empty() && Any(c.args[0].text, {"0", "6", "1", "s", "S"})) {
    Add(in, "system.power", Risk::kHigh,
        n + " " + c.args[0].text + " changes the run level (halt, reboot or single user)");
    return;
  }
  if (n == "systemctl" || n == "service" || n == "launchctl" || n == "rc-service" || n == "sv") {
    std::string sub =
        n == "service" || n == "rc-service"
            ? (c.args.size() >= 2 ? c.args[1].text : "")
            : Subcommand(c, {"-H", "--host", "-M", "--machine", "-p", "--property", "-t", "--type", "--state"});
    std::string unit = n == "service" || n == "rc-service" ? (c.args.empty() ? "" : c.args[0].text) : "";
    if (n != "service" && n != "rc-service") {
      auto ops = Operands(c, {"-H", "--host", "-M", "--machine", "-p", "--property", "-t", "--type", "--state"});
      if (ops.size() >= 2) unit = ops[1]->text;
    }
    if (Any(sub, {"poweroff", "reboot", "halt", "kexec", "suspend", "hibernate", "hybrid-sleep",
                  "suspend-then-hibernate", "rescue", "emergency", "isolate", "soft-reboot"})) {
      Add(in, "system.power", Risk::kHigh, n + " " + sub + " stops or suspends the machine");
    } else if (Any(sub, {"stop", "disable", "mask", "kill", "unload", "remove", "bootout", "down", "freeze"})) {
      const bool remote = unit.find("ssh") != std::string::npos || unit.find("network") != std::string::npos ||
                          unit.find("NetworkManager") != std::string::npos;
      Add(in, "system.service-stop", Risk::kHigh,
          n + " " + sub + " stops " + (unit.empty() ? "a service" : unit) +
              (remote ? ", which can cut off remote access" : ""));
    } else if (Any(sub, {"restart", "reload", "try-restart", "reload-or-restart", "start", "enable", "unmask",
                         "daemon-reload", "edit", "set-property", "load", "bootstrap", "up", "preset", "revert",
                         "set-default", "reset-failed"})) {
      Add(in, "system.service-change", Risk::kModerate, n + " " + sub + " changes a running service");
    }
  }
}

void Kill(RuleInput& in) {
  const SimpleCommand& c = in.cmd;
  if (c.name == "kill") {
    if (HasFlag(c, 'l', "--list") || HasArg(c, "-L")) return;
    bool saw_signal = false;
    for (size_t i = 0; i < c.args.size(); ++i) {
      const std::string& a = c.args[i].text;
      if (a == "-s" || a == "-n" || a == "--signal") {
        ++i;
        saw_signal = true;
        continue;
      }
      if (a.size() > 1 && a[0] == '-' && !saw_signal && a != "-1") {
        saw_signal = true;
        continue;
      }
      if (a == "-1" && !saw_signal && i + 1 < c.args.size()) {  // `kill -1 PID`: -1 is the signal
        saw_signal = true;
        continue;
      }
      if (a == "1") {
        Add(in, "process.kill-init", Risk::kCritical, "signals process 1 (init), which takes the whole system down",
            c.args[i].start, c.args[i].end);
        return;
      }
      if (a == "-1") {
        Add(in, "process.kill-all", Risk::kCritical, "signals every process the user may signal", c.args[i].start,
            c.args[i].end);
        return;
      }
    }
    Add(in, "process.kill", Risk::kModerate, "stops processes");
    return;
  }
  if (c.name == "pkill" || c.name == "killall" || c.name == "killall5" || c.name == "skill") {
    for (const Word* w : Operands(c, {"-s", "--signal", "-u", "-U", "-g", "-G", "-P", "-t"}))
      if (Any(w->text, {"init", "systemd", "sshd", "launchd", "Xorg", "gnome-shell", "dockerd", "kubelet"})) {
        Add(in, "process.kill-system", Risk::kHigh, "stops the system process " + w->text, w->start, w->end);
        return;
      }
    if (c.name == "killall5") {
      Add(in, "process.kill-all", Risk::kCritical, "signals every process on the system");
      return;
    }
    // By user or group, by any part of the command line, or every process of
    // a name: a mass kill.
    const bool mass = c.name == "killall" || c.name == "skill" || HasFlag(c, 'u', "--euid") ||
                      HasFlag(c, 'U', "--uid") || HasFlag(c, 'G', "--group") || HasFlag(c, 'g', "--pgroup") ||
                      HasFlag(c, 'f', "--full");
    Add(in, mass ? "process.kill-mass" : "process.kill", mass ? Risk::kHigh : Risk::kModerate,
        mass ? c.name + " stops every process that matches, possibly many" : "stops processes by name");
  }
}

const char* kEssential[] = {"libc6",  "libc-bin",    "systemd",        "sudo",   "bash",    "coreutils", "dpkg",
                            "apt",    "init",        "openssh-server", "glibc",  "rpm",     "dnf",       "yum",
                            "pacman", "linux-image", "grub",           "grub2",  "grub-pc", "grub-efi",  "base-files",
                            "login",  "passwd",      "util-linux",     "kernel", "python3", "perl-base", "libpam"};

void Packages(RuleInput& in) {
  const SimpleCommand& c = in.cmd;
  const std::string& n = c.name;
  std::string sub = Subcommand(c, {"-o", "-c", "-t", "--target-release", "--root", "--installroot", "-C"});
  enum { kNone, kRead, kInstall, kRemove } what = kNone;
  if (n == "apt" || n == "apt-get" || n == "aptitude") {
    if (Any(sub, {"remove", "purge", "autoremove", "autopurge"}))
      what = kRemove;
    else if (Any(sub, {"install", "upgrade", "dist-upgrade", "full-upgrade", "reinstall", "build-dep", "update",
                       "source", "clean", "autoclean", "satisfy", "markauto", "mark"}))
      what = kInstall;
    else
      what = kRead;
  } else if (n == "dpkg") {
    if (HasFlag(c, 'r', "--remove") || HasFlag(c, 'P', "--purge"))
      what = kRemove;
    else if (HasFlag(c, 'i', "--install") || HasArg(c, "--configure") || HasArg(c, "--unpack"))
      what = kInstall;
    else
      what = kRead;
  } else if (n == "yum" || n == "dnf" || n == "microdnf" || n == "zypper" || n == "apk" || n == "snap" ||
             n == "flatpak" || n == "brew" || n == "port" || n == "pkg" || n == "emerge" || n == "xbps-remove" ||
             n == "nix-env") {
    if (Any(sub, {"remove", "erase", "autoremove", "rm", "del", "uninstall", "purge", "delete", "zap"}) ||
        n == "xbps-remove" || (n == "nix-env" && (HasFlag(c, 'e') || HasArg(c, "--uninstall"))) ||
        (n == "emerge" && (HasArg(c, "--unmerge") || HasArg(c, "-C") || HasArg(c, "--depclean"))))
      what = kRemove;
    else if (Any(sub, {"install", "in", "update", "up", "upgrade", "dup", "dist-upgrade", "add", "refresh", "reinstall",
                       "downgrade", "distro-sync", "tap", "cleanup", "patch", "selfupdate", "sync"}) ||
             n == "emerge" || n == "nix-env")
      what = kInstall;
    else
      what = kRead;
  } else if (n == "rpm") {
    if (HasFlag(c, 'e', "--erase"))
      what = kRemove;
    else if (HasFlag(c, 'i', "--install") || HasFlag(c, 'U', "--upgrade") || HasFlag(c, 'F', "--freshen"))
      what = kInstall;
    else
      what = kRead;
  } else if (n == "pacman" || n == "yay" || n == "paru") {
    std::string first = c.args.empty() ? "" : c.args[0].text;
    if (first.rfind("-R", 0) == 0 || first == "--remove")
      what = kRemove;
    else if ((first.rfind("-S", 0) == 0 && first.find('s') == std::string::npos &&
              first.find('i') == std::string::npos) ||
             first.rfind("-U", 0) == 0 || first == "--sync" || first == "--upgrade")
      what = kInstall;
    else
      what = kRead;
  } else if (n == "pip" || n == "pip3" || n == "pipx" || n == "npm" || n == "pnpm" || n == "yarn" || n == "gem" ||
             n == "cargo" || n == "go" || n == "conda" || n == "mamba" || n == "uv" || n == "composer") {
    if (Any(sub, {"uninstall", "remove", "rm", "un", "r"})) {
      Add(in, "pkg.remove-user", Risk::kModerate, n + " " + sub + " removes packages");
      return;
    }
    if (Any(sub, {"install", "i", "add", "update", "upgrade", "ci", "get", "create", "sync", "global"})) {
      const bool risky = HasArg(c, "--break-system-packages") || (c.privileged && (n == "pip" || n == "pip3"));
      Add(in, risky ? "pkg.system-pip" : "pkg.install", risky ? Risk::kHigh : Risk::kModerate,
          risky ? "installs Python packages into the system interpreter, which can break system tools"
                : n + " " + sub + " installs packages, which may run their install scripts");
      return;
    }
    if (Any(sub, {"run", "exec", "test", "start", "build", "publish", "x"}))
      Add(in, "exec.project", Risk::kModerate, n + " " + sub + " runs project code");
    return;
  } else {
    return;
  }
  if (what == kRemove) {
    for (const Word* w : Operands(c))
      for (const char* e : kEssential)
        if (w->text == e ||
            (w->text.rfind(e, 0) == 0 && (w->text[std::strlen(e)] == '*' || w->text[std::strlen(e)] == '-'))) {
          Add(in, "pkg.remove-essential", Risk::kCritical, "removes " + w->text + ", which the system needs to run",
              w->start, w->end);
          return;
        }
    Add(in, "pkg.remove", Risk::kHigh, n + " removes system packages (and possibly what depends on them)");
  } else if (what == kInstall) {
    bool forced = false;
    for (const auto& w : c.args)
      forced |= w.text == "--allow-unauthenticated" || w.text == "--force-yes" || w.text.rfind("--force", 0) == 0 ||
                w.text == "--nodeps" || w.text == "--nogpgcheck" || w.text == "--no-gpg-checks" || w.text == "-dd";
    Add(in, forced ? "pkg.unverified" : "pkg.install", forced ? Risk::kHigh : Risk::kModerate,
        forced ? n + " installs packages with verification or dependency checks turned off"
               : n + " changes installed system packages");
  }
}

void Firewall(RuleInput& in) {
  const SimpleCommand& c = in.cmd;
  const std::string& n = c.name;
  if (n == "iptables" || n == "ip6tables" || n == "iptables-legacy" || n == "iptables-nft" || n == "ebtables" ||
      n == "arptables") {
    if (HasFlag(c, 'F', "--flush") || HasFlag(c, 'X', "--delete-chain") ||
        (HasFlag(c, 'P', "--policy") && (HasArg(c, "ACCEPT") || HasArg(c, "DROP"))))
      Add(in, "net.firewall-flush", Risk::kHigh, n + " removes firewall rules or changes the default policy");
    else if (HasFlag(c, 'L', "--list") || HasFlag(c, 'S', "--list-rules"))
      return;
    else
      Add(in, "net.firewall-change", Risk::kModerate, n + " changes firewall rules");
    return;
  }
  if (n == "nft") {
    if (HasArg(c, "flush") || HasArg(c, "delete"))
      Add(in, "net.firewall-flush", Risk::kHigh, "nft removes firewall rules");
    else if (!HasArg(c, "list"))
      Add(in, "net.firewall-change", Risk::kModerate, "nft changes firewall rules");
    return;
  }
  if (n == "ufw") {
    std::string sub = Subcommand(c);
    if (sub == "disable" || sub == "reset")
      Add(in, "net.firewall-flush", Risk::kHigh, "ufw " + sub + " turns the firewall off");
    else if (sub != "status" && !sub.empty() && sub != "app")
      Add(in, "net.firewall-change", Risk::kModerate, "ufw changes firewall rules");
    return;
  }
  if (n == "firewall-cmd") {
    bool read = true;
    for (const auto& w : c.args)
      read &= w.text.rfind("--list", 0) == 0 || w.text == "--state" || w.text.rfind("--get", 0) == 0 ||
              w.text.rfind("--query", 0) == 0 || w.text.rfind("--zone", 0) == 0;
    if (HasArg(c, "--panic-on") || HasArg(c, "--set-default-zone=trusted"))
      Add(in, "net.firewall-flush", Risk::kHigh, "firewall-cmd changes the firewall drastically");
    else if (!read)
      Add(in, "net.firewall-change", Risk::kModerate, "firewall-cmd changes firewall rules");
    return;
  }
  if (n == "pfctl") {
    if (HasFlag(c, 'd') || HasFlag(c, 'F'))
      Add(in, "net.firewall-flush", Risk::kHigh, "pfctl disables or flushes the firewall");
    else if (HasFlag(c, 'e') || HasFlag(c, 'f'))
      Add(in, "net.firewall-change", Risk::kModerate, "pfctl changes firewall rules");
  }
}

void History(RuleInput& in) {
  const SimpleCommand& c = in.cmd;
  for (const std::string& a : c.assignments) {
    auto eq = a.find('=');
    std::string name = a.substr(0, eq), value = eq == std::string::npos ? "" : a.substr(eq + 1);
    if ((name == "HISTFILE" && (value.empty() || value == "/dev/null")) ||
        ((name == "HISTSIZE" || name == "HISTFILESIZE" || name == "SAVEHIST") && value == "0"))
      Add(in, "tamper.history", Risk::kHigh, "turns off the shell history (" + a + ")");
  }
  if (c.name == "history" && (HasFlag(c, 'c') || HasFlag(c, 'd') || HasFlag(c, 'w') || HasFlag(c, 'r')))
    Add(in, "tamper.history", Risk::kHigh, "clears or rewrites the shell history");
  if (c.name == "unset")
    for (const auto& w : c.args)
      if (w.text == "HISTFILE") Add(in, "tamper.history", Risk::kHigh, "turns off the shell history (unset HISTFILE)");
  if (c.name == "set" && HasArg(c, "+o") && HasArg(c, "history"))
    Add(in, "tamper.history", Risk::kHigh, "turns off the shell history (set +o history)");
  if (c.name == "journalctl") {
    for (const auto& w : c.args)
      if (w.text.rfind("--vacuum", 0) == 0 || w.text == "--rotate" || w.text == "--flush") {
        Add(in, "tamper.logs", Risk::kHigh, "journalctl deletes or rotates away system logs");
        return;
      }
  }
  if ((c.name == "dmesg" && (HasFlag(c, 'c', "--clear") || HasFlag(c, 'C', "--read-clear"))) ||
      (c.name == "auditctl" && (HasFlag(c, 'D') || (HasArg(c, "-e") && HasArg(c, "0")))))
    Add(in, "tamper.logs", Risk::kHigh, c.name + " clears the kernel or audit log");
}

void Cron(RuleInput& in) {
  const SimpleCommand& c = in.cmd;
  if (c.name != "crontab") return;
  if (HasFlag(c, 'r', "--remove")) {
    Add(in, "cron.remove", Risk::kHigh, "crontab -r deletes every scheduled job of the user without asking");
    return;
  }
  if (HasFlag(c, 'l')) return;
  if (HasFlag(c, 'e')) {
    Add(in, "cron.edit", Risk::kModerate, "edits the scheduled jobs");
    return;
  }
  Add(in, "cron.replace", Risk::kHigh, "replaces all scheduled jobs of the user with the given file");
}

void Users(RuleInput& in) {
  const SimpleCommand& c = in.cmd;
  const std::string& n = c.name;
  if (n == "userdel" || n == "deluser" || n == "groupdel" || n == "delgroup") {
    Add(in, "user.delete", Risk::kHigh,
        n + " deletes an account" + (HasFlag(c, 'r', "--remove-home") ? " and its home directory" : ""));
  } else if (n == "usermod" || n == "gpasswd" || n == "adduser" || n == "useradd" || n == "groupadd" || n == "chsh" ||
             n == "passwd" || n == "chpasswd" || n == "chage") {
    bool grant = false;
    for (const auto& w : c.args)
      grant |= w.text == "sudo" || w.text == "wheel" || w.text == "admin" || w.text == "root" ||
               w.text.find("sudo") != std::string::npos;
    if (grant && (n == "usermod" || n == "gpasswd" || n == "adduser"))
      Add(in, "priv.grant", Risk::kHigh, n + " gives an account administrator rights");
    else if (n == "passwd" && (HasFlag(c, 'd', "--delete")))
      Add(in, "user.no-password", Risk::kHigh, "passwd -d removes the account's password");
    else if (n == "chpasswd")
      Add(in, "user.change", Risk::kHigh, "chpasswd changes account passwords");
    else
      Add(in, "user.change", Risk::kModerate, n + " changes user accounts");
  } else if (n == "setcap") {
    Add(in, "priv.capabilities", Risk::kHigh, "setcap gives a program root-like capabilities");
  } else if (n == "visudo" || n == "sudoedit") {
    Add(in, "system.config-edit", Risk::kModerate, n + " edits system configuration");
  }
}

void Kernel(RuleInput& in) {
  const SimpleCommand& c = in.cmd;
  const std::string& n = c.name;
  if (n == "insmod" || n == "rmmod" ||
      (n == "modprobe" && !HasArg(c, "-n") && !HasArg(c, "--dry-run") && !HasFlag(c, 'c')))
    Add(in, "system.kernel-module", Risk::kHigh, n + " loads or unloads kernel code");
  else if (n == "sysctl" && (HasFlag(c, 'w', "--write") || HasFlag(c, 'p', "--load") || [&] {
             for (const auto& w : c.args)
               if (w.text.find('=') != std::string::npos) return true;
             return false;
           }()))
    Add(in, "system.kernel-setting", Risk::kModerate, "sysctl changes kernel settings");
  else if (n == "efibootmgr" && (HasFlag(c, 'B', "--delete-bootnum") || HasFlag(c, 'o') || HasFlag(c, 'c')))
    Add(in, "system.boot", Risk::kHigh, "efibootmgr changes the firmware's boot entries");
  else if (n == "grub-install" || n == "update-grub" || n == "grub2-mkconfig" || n == "grub-mkconfig" ||
           n == "bootctl" || n == "update-initramfs" || n == "dracut" || n == "mkinitcpio")
    Add(in, "system.boot", Risk::kHigh, n + " rewrites what the machine boots");
  else if (n == "hostnamectl" || n == "timedatectl" || n == "localectl" || (n == "date" && HasFlag(c, 's', "--set")) ||
           n == "hwclock" || n == "update-alternatives" || n == "chroot")
    Add(in, "system.config", Risk::kModerate, n + " changes system settings");
}

// What a terminal does with an escape sequence in the text echo/printf print,
// when it is more than drawing: a control string (OSC, DCS, APC, PM, SOS) sets
// the clipboard (OSC 52), the title, colours or fonts, or hyperlinks; a
// report request (device status, attributes, window or title reports) makes
// the terminal type its answer into the shell's input; private modes turn on
// mouse or key reporting or turn off bracketed paste; a reset or a character
// set switch changes what later text looks like. Colours, cursor moves,
// erasing, scroll regions and showing or hiding the cursor only draw. The
// 8-bit forms (CSI 0x9B, OSC 0x9D, DCS 0x90, alone or as UTF-8) count too.
// Returns what the first such sequence does, or "".
std::string TerminalCommand(const std::string& text) {
  for (size_t i = 0; i < text.size(); ++i) {
    auto byte = [&](size_t k) { return k < text.size() ? static_cast<unsigned char>(text[k]) : 0u; };
    unsigned char k = 0;  // the sequence's kind, as the character after ESC
    size_t body = 0;      // where its parameters start
    if (byte(i) == 0x1b && i + 1 < text.size()) {
      k = byte(i + 1);
      body = i + 2;
    } else if (byte(i) == 0xC2 && byte(i + 1) >= 0x80 && byte(i + 1) <= 0x9F) {  // U+0080..U+009F in UTF-8
      k = static_cast<unsigned char>(byte(i + 1) - 0x40);
      body = i + 2;
    } else if (byte(i) >= 0x90 && byte(i) <= 0x9F && (i == 0 || byte(i - 1) < 0x80)) {  // a lone 8-bit control
      k = static_cast<unsigned char>(byte(i) - 0x40);
      body = i + 1;
    } else {
      continue;
    }
    if (k == ']')
      return text.compare(body, 3, "52;") == 0 ? "writes to the clipboard through the terminal (OSC 52)"
                                               : "sends the terminal a command (OSC: title, colours, links or more)";
    if (k == 'P' || k == '_' || k == '^' || k == 'X') return "sends the terminal a control string";
    if (k == 'Z') return "asks the terminal to identify itself, typing the answer into the shell's input";
    if (k == 'c') return "resets the terminal";
    if (k == '(' || k == ')' || k == '*' || k == '+') return "switches the terminal's character set";
    if (k != '[') continue;
    size_t j = body;
    const bool private_mode = j < text.size() && std::strchr("?<=>", text[j]) != nullptr;
    while (j < text.size() && byte(j) >= 0x20 && byte(j) <= 0x3f) ++j;  // parameters and intermediates
    if (j >= text.size()) continue;
    const std::string params = text.substr(body, j - body);
    if (private_mode && params == "?25" && (text[j] == 'h' || text[j] == 'l')) continue;  // cursor shown or hidden
    if (private_mode)
      return "changes the terminal's modes (CSI " + params + text[j] + "): mouse or key reporting, bracketed paste";
    if (std::strchr("mABCDEFGHJKSTdfsur@PXL", text[j]) == nullptr)
      return std::string("sends the terminal a request or mode change (CSI …") + text[j] +
             "), which can make it type into the shell's input";
  }
  return "";
}

// echo/printf writing terminal commands (above), whether written as escapes
// (printf '\e]52;…', echo -e '\033]…') or as $'…' words. echo's escapes count
// without -e too: zsh's echo, and bash's under xpg_echo, decode them.
void Terminal(RuleInput& in) {
  const SimpleCommand& c = in.cmd;
  if (c.name == "reset" || c.name == "tset") {
    Add(in, "terminal.control", Risk::kModerate, c.name + " resets the terminal's settings");
    return;
  }
  if (c.name == "tput") {  // capabilities that set the title, ask for reports or reset
    for (const auto& w : c.args)
      if (Any(w.text, {"tsl", "fsl", "dsl", "u6",  "u7",  "u8",  "u9",   "reset", "init",  "rs1", "rs2", "rs3",
                       "is1", "is2", "is3", "mc0", "mc4", "mc5", "mc5p", "pfkey", "pfloc", "pfx", "smm", "rmm"})) {
        Add(in, "terminal.control", Risk::kModerate, "tput " + w.text + " sends the terminal a command", w.start,
            w.end);
        return;
      }
    return;
  }
  if (c.name == "cat" && !c.stdin_text.empty()) {  // cat <<< $'\e]52;…'
    const std::string what = TerminalCommand(c.stdin_text);
    if (!what.empty()) Add(in, "terminal.control", Risk::kModerate, "cat " + what);
    return;
  }
  if (IsCodeInterpreter(c.name) || c.name == "awk" || c.name == "gawk" || c.name == "mawk" || c.name == "nawk") {
    // print("\x1b]52;…"), awk 'BEGIN{printf "\033]52;…"}': a string literal
    // in the code spells the sequence with the same escapes.
    for (const auto& w : c.args) {
      const std::string what = TerminalCommand(DecodeEscapes(w.text));
      if (what.empty()) continue;
      Add(in, "terminal.control", Risk::kModerate, c.name + "'s code " + what, w.start, w.end);
      return;
    }
    return;
  }
  if (c.name != "echo" && c.name != "printf" && c.name != "print") return;
  // Each word, then all of them together: printf '%c]52;…' $'\e' puts the
  // escape from one word in front of the rest from another.
  std::string all;
  for (const auto& w : c.args) {
    const std::string text = DecodeEscapes(w.text);
    all += text;
    const std::string what = TerminalCommand(text);
    if (what.empty()) continue;
    Add(in, "terminal.control", Risk::kModerate, c.name + " " + what, w.start, w.end);
    return;
  }
  if (c.name == "printf" && !c.args.empty()) {  // printf '%c]52;…' $'\e': the format with its arguments in place
    std::string out;
    const std::string& f = c.args[0].text;
    size_t next = 1;
    for (size_t i = 0; i < f.size(); ++i) {
      if (f[i] != '%' || i + 1 >= f.size()) {
        out += f[i];
        continue;
      }
      size_t j = i + 1;
      while (j < f.size() && std::strchr("-+ #0123456789.", f[j])) ++j;  // flags, width, precision
      if (j >= f.size()) break;
      if (f[j] == '%') {
        out += '%';
      } else {
        const std::string arg = next < c.args.size() ? c.args[next++].text : "";
        out += f[j] == 'c' ? arg.substr(0, 1) : arg;
      }
      i = j;
    }
    all = out;
  }
  const std::string what = TerminalCommand(DecodeEscapes(all));
  if (!what.empty()) Add(in, "terminal.control", Risk::kModerate, c.name + " " + what);
}

}  // namespace

// Switching off a security mechanism.
void SecuritySwitches(RuleInput& in) {
  const SimpleCommand& c = in.cmd;
  const std::string& n = c.name;
  auto ops = Operands(c);
  const std::string first = ops.empty() ? "" : Lower(ops[0]->text);
  if ((n == "setenforce" && (first == "0" || first == "permissive")) || n == "aa-teardown" ||
      (n == "aa-disable" || n == "aa-complain") ||
      (n == "spctl" && (HasArg(c, "--master-disable") || HasArg(c, "--global-disable") || HasArg(c, "--disable"))) ||
      (n == "csrutil" && (first == "disable" || first == "authenticated-root")) ||
      (n == "auditctl" && HasArg(c, "-e") && !ops.empty() && ops[0]->text == "0"))
    Add(in, "security.disable", Risk::kHigh, n + " switches off a security protection of the system");
  if (n == "sysctl")
    for (const auto& w : c.args)
      if (w.text.find("randomize_va_space=0") != std::string::npos ||
          w.text.find("ptrace_scope=0") != std::string::npos)
        Add(in, "security.disable", Risk::kHigh, "turns off a kernel protection (" + w.text + ")", w.start, w.end);
}

// Network configuration: interfaces, addresses, routes, DNS, Wi-Fi, VPNs.
void NetworkConfig(RuleInput& in) {
  const SimpleCommand& c = in.cmd;
  const std::string& n = c.name;
  bool changes = false;
  if (n == "ip" || n == "nmcli" || n == "resolvectl" || n == "ethtool" || n == "ifconfig" || n == "route")
    changes = !MatchReadOnlyProfile(c).read_only;
  else if (n == "tc" || n == "iw" || n == "brctl" || n == "ovs-vsctl" || n == "netplan" || n == "wg" || n == "bridge")
    for (const auto& w : c.args)
      changes |=
          Any(w.text, {"add",   "del",    "delete",  "change",     "replace",  "set",     "apply",   "try",
                       "up",    "down",   "connect", "disconnect", "flush",    "addbr",   "delbr",   "addif",
                       "delif", "add-br", "del-br",  "add-port",   "del-port", "setconf", "addconf", "syncconf"});
  else if (n == "wg-quick" || n == "ifup" || n == "ifdown" || n == "dhclient" || n == "nmtui" || n == "networksetup" ||
           n == "scutil" || n == "ipconfig" || n == "systemd-resolve" || n == "dhcpcd")
    changes = !OnlyAsksForHelp(c) && !(n == "scutil" && !HasArg(c, "--set")) &&
              !(n == "ipconfig" && !HasArg(c, "set") && !HasArg(c, "/release") && !HasArg(c, "/renew")) &&
              !(n == "networksetup" && !c.args.empty() && c.args[0].text.rfind("-get", 0) == 0) &&
              !(n == "networksetup" && !c.args.empty() && c.args[0].text.rfind("-list", 0) == 0);
  else if (n == "sysctl")
    for (const auto& w : c.args) changes |= w.text.rfind("net.", 0) == 0 && w.text.find('=') != std::string::npos;
  if (changes)
    Add(in, "net.config", Risk::kHigh, n + " changes the network configuration, which can cut this machine off");
}

void SystemRules(RuleInput& in) {
  Privilege(in);
  Power(in);
  Kill(in);
  Packages(in);
  Firewall(in);
  History(in);
  Cron(in);
  Users(in);
  Kernel(in);
  SecuritySwitches(in);
  NetworkConfig(in);
  Terminal(in);
}

}  // namespace cmdai::safety::detail
