// SPDX-License-Identifier: MIT
#include "safety/rules.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "safety/rule_util.h"

namespace cmdai::safety {
namespace {

// Commands that only read, print or compute, or whose risky uses the rules
// cover (they stay safe when no rule fires). Anything else is unknown.
constexpr std::string_view kKnown[] = {
    // read-only and informational
    "ls", "ll", "la", "dir", "cat", "tac", "less", "more", "head", "tail", "grep", "egrep", "fgrep", "rg", "ag", "ack",
    "find", "fd", "locate", "mlocate", "plocate", "which", "whereis", "type", "file", "stat", "du", "df", "free", "ps",
    "pstree", "top", "htop", "btop", "atop", "iotop", "uptime", "uname", "hostname", "whoami", "id", "groups", "who",
    "w", "last", "lastb", "date", "cal", "pwd", "echo", "printf", "env", "printenv", "wc", "sort", "uniq", "cut",
    "paste", "join", "comm", "tr", "nl", "fold", "fmt", "column", "expand", "unexpand", "rev", "shuf", "seq", "yes",
    "diff", "cmp", "sdiff", "colordiff", "md5sum", "sha1sum", "sha256sum", "sha512sum", "b2sum", "cksum", "sum",
    "base64", "base32", "basenc", "xxd", "od", "hexdump", "strings", "basename", "dirname", "realpath", "readlink",
    "tree", "jq", "yq", "xq", "awk", "gawk", "mawk", "nawk", "sed", "perl", "true", "false", "test", "[", "[[", "sleep",
    "time", "history", "alias", "unalias", "export", "set", "unset", "declare", "local", "readonly", "typeset",
    "let", "read", "cd", "pushd", "popd", "dirs", "exit", "logout", "clear", "reset", "tput", "stty", "man", "info",
    "help", "apropos", "whatis", "tldr", "lsblk", "blkid", "lscpu", "lspci", "lsusb", "lsmod", "lshw", "dmidecode",
    "lsof", "fuser", "ss", "netstat", "ip", "ifconfig", "route", "arp", "ping", "ping6", "traceroute", "tracepath",
    "mtr", "dig", "nslookup", "host", "whois", "curl", "nproc", "getconf", "locale", "timedatectl", "hostnamectl",
    "journalctl", "dmesg", "systemctl", "service", "launchctl", "loginctl", "last", "vmstat", "iostat", "mpstat",
    "sar", "watch", "tmux", "screen", "vim", "vi", "nvim", "nano", "emacs", "micro", "code", "ed", "view", "pager",
    "bat", "batcat", "exa", "eza", "lsd", "zcat", "zless", "zgrep", "bzcat", "xzcat", "zstdcat", "tar", "zip", "unzip",
    "gzip", "gunzip", "bzip2", "bunzip2", "xz", "unxz", "zstd", "7z", "git", "docker", "podman", "nerdctl",
    "docker-compose", "kubectl", "oc", "k", "helm", "terraform", "tofu", "pulumi", "terragrunt", "aws", "gcloud",
    "az", "gsutil", "doctl", "heroku", "flyctl", "vercel", "s3cmd", "rclone", "mkdir", "touch", "cp", "mv", "rm",
    "rmdir", "ln", "install", "rsync", "scp", "sftp", "ssh", "chmod", "chown", "chgrp", "chattr", "setfacl", "getfacl",
    "lsattr", "tee", "truncate", "dd", "shred", "srm", "wipe", "unlink", "trash", "trash-put", "mkfs", "mke2fs",
    "mkswap", "mkdosfs", "mkntfs", "newfs", "wipefs", "fdisk", "gdisk", "cfdisk", "sfdisk", "parted", "sgdisk",
    "cgdisk", "diskutil", "gpart", "blkdiscard", "badblocks", "flashrom", "nvme", "hdparm", "cryptsetup", "mdadm",
    "zpool", "zfs", "lvremove", "vgremove", "pvremove", "lvreduce", "mount", "umount", "swapoff", "swapon",
    "shutdown", "reboot", "poweroff", "halt", "init", "telinit", "rc-service", "sv", "kill", "pkill", "killall",
    "killall5", "skill", "pgrep", "pidof", "nice", "renice", "ionice", "nohup", "timeout", "apt", "apt-get",
    "apt-cache", "aptitude", "dpkg", "dpkg-query", "yum", "dnf", "microdnf", "rpm", "zypper", "apk", "pacman", "yay",
    "paru", "snap", "flatpak", "brew", "port", "pkg", "emerge", "xbps-remove", "nix-env", "pip", "pip3", "pipx", "npm",
    "npx", "pnpm", "yarn", "gem", "cargo", "go", "conda", "mamba", "uv", "composer", "iptables", "ip6tables",
    "iptables-legacy", "iptables-nft", "ebtables", "arptables", "nft", "ufw", "firewall-cmd", "pfctl", "crontab",
    "userdel", "deluser", "groupdel", "delgroup", "usermod", "gpasswd", "adduser", "useradd", "groupadd", "chsh",
    "passwd", "chpasswd", "chage", "setcap", "getcap", "visudo", "sudoedit", "insmod", "rmmod", "modprobe", "modinfo",
    "sysctl", "efibootmgr", "grub-install", "update-grub", "grub2-mkconfig", "grub-mkconfig", "bootctl",
    "update-initramfs", "dracut", "mkinitcpio", "localectl", "hwclock", "update-alternatives", "chroot", "psql",
    "mysql", "mariadb", "sqlite3", "sqlcmd", "clickhouse-client", "clickhouse", "mongo", "mongosh", "redis-cli",
    "cqlsh", "duckdb", "cockroach", "valkey-cli", "influx", "dropdb", "mysqladmin", "createdb", "pg_dump",
    "pg_dumpall", "mysqldump", "nc", "ncat", "netcat", "nc.traditional", "nc.openbsd", "telnet", "socat", "openssl",
    "wget", "wget2", "aria2c", "fetch", "http", "https", "xh", "curlie", "mkfifo", "make", "cmake", "ninja", "gradle",
    "mvn", "ant", "bazel", "just", "task", "rake", "source", ".", "sh", "bash", "zsh", "dash", "ksh", "mksh", "ash",
    "fish", "csh", "tcsh", "python", "python2", "python3", "ruby", "node", "nodejs", "php", "lua", "pwsh",
    "powershell", "tclsh", "osascript", "bun", "deno", "sudo", "su", "doas", "pkexec", "run0", "xargs", "eval",
    "exec", "command", "builtin", "open", "xdg-open", "wl-copy", "xclip", "xsel", "pbcopy", "pbpaste", "notify-send",
    "say", "espeak", "convert", "magick", "ffmpeg", "ffprobe", "identify", "exiftool", "pandoc", "gcc", "g++", "cc",
    "clang", "clang++", "rustc", "javac", "java", "go", "tsc", "pytest", "cargo", "nvidia-smi", "sensors", "iw",
    "iwconfig", "nmcli", "resolvectl", "systemd-analyze", "lslogins", "getent", "ulimit", "umask", "wait", "jobs",
    "fg", "bg", "disown", "trap", "shift", "return", "break", "continue", "getopts", "hash", "caller", "compgen",
    "complete", "shopt", "enable", "mapfile", "readarray", "ldd", "nm", "objdump", "readelf", "strace", "ltrace",
    "gdb", "lldb", "valgrind", "perf", "hyperfine", "column", "numfmt", "factor", "bc", "dc", "expr", "units",
    "iconv", "dos2unix", "unix2dos", "split", "csplit", "mktemp", "sync", "tty", "logger", "envsubst", "gettext",
    "xmllint", "csvlook", "mlr", "sqlite-utils", "http-server", "serve", "ncdu", "duf", "dust", "procs", "glances",
    "nload", "iftop", "nethogs", "tcpdump", "nmap", "speedtest", "speedtest-cli", "youtube-dl", "yt-dlp", "gh", "glab",
    "hub", "svn", "hg", "code", "subl", "gio", "stdbuf", "setsid", "taskset", "chrt", "flock", "unbuffer", "env", ":",
    "if", "then", "do", "done", "fi", "emacsclient", "sudo", "cut", "tldr", "fzf", "entr", "direnv", "asdf", "nvm",
    "pyenv", "rbenv", "sdk", "kill", "cowsay", "fortune", "figlet", "lolcat", "neofetch", "fastfetch", "uptime"};

bool Known(std::string_view n) {
  static const std::vector<std::string_view> sorted = [] {
    std::vector<std::string_view> v(std::begin(kKnown), std::end(kKnown));
    std::sort(v.begin(), v.end());
    return v;
  }();
  return std::binary_search(sorted.begin(), sorted.end(), n);
}

}  // namespace

bool IsKnownCommand(const std::string& name) {
  if (Known(name)) return true;
  // Families: mkfs.ext4, python3.11, pip3.12, …
  for (std::string_view prefix : {"mkfs.", "python3.", "python2.", "pip3.", "fsck.", "mount."})
    if (name.rfind(prefix, 0) == 0) return true;
  return false;
}

void ApplyRules(const ParsedScript& script, std::vector<Finding>& out, std::vector<EmbeddedCode>& code) {
  for (size_t i = 0; i < script.commands.size(); ++i) {
    const SimpleCommand& c = script.commands[i];
    detail::RuleInput in{script, c, static_cast<int>(i), out, &code};
    const size_t before = out.size();
    detail::RedirectRules(in);
    detail::SystemRules(in);  // assignments (HISTFILE=) apply even without a name
    if (c.name.empty() && !c.name_word.dynamic) continue;
    if (!c.remote_host.empty())
      detail::Add(in, "remote.command", Risk::kModerate, "runs on the remote host " + c.remote_host);
    detail::ExecRules(in);
    if (!c.name_word.dynamic) {
      detail::FileRules(in);
      detail::DiskRules(in);
      detail::ToolRules(in);
    }
    const bool flagged = out.size() > before;
    bool own_function = false;  // calls a function the script itself defines
    for (const FunctionDef& f : script.functions) own_function |= f.name == c.name;
    if (!flagged && !own_function && !c.name_word.dynamic && !IsKnownCommand(c.name) &&
        c.name_word.text.find('/') == std::string::npos)
      detail::Add(in, "unknown.command", Risk::kModerate, "cmdai does not know what '" + c.name + "' does",
                  c.name_word.start, c.name_word.end);
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
  for (const FunctionDef& f : script.functions)
    if (f.self_calls >= 2 || (f.self_calls >= 1 && f.backgrounds))
      out.push_back({"process.fork-bomb", Risk::kCritical,
                     "the function '" + f.name + "' starts copies of itself without end (a fork bomb), exhausting the machine",
                     f.start, f.end, -1});
}

}  // namespace cmdai::safety
