// SPDX-License-Identifier: MIT
// PathClass: what a path names, as far as can be told without touching the
// disk — the root, the home directory, a system directory, a disk device, a
// file the system cannot live without, or a path only known at run time.
#pragma once

#include <string>
#include <vector>

namespace cmdai::safety {

enum class PathKind {
  kOrdinary,        // a file or directory of the person's own
  kCwdAll,          // ".", "..", "*", "./*": everything here (or above)
  kRoot,            // "/", "/*", a find root of "/"
  kHome,            // "~", "$HOME", "~/*", /home/NAME, /root
  kSystemDir,       // a top-level system directory or everything in it: /etc, /usr/*, /var
  kSystemPath,      // something inside a system directory: /etc/nginx, /usr/local/bin/x
  kTopLevel,        // another directory directly under /: /data, /srv, /mnt, /tmp
  kCriticalFile,    // /etc/passwd, /etc/shadow, /etc/sudoers, /etc/fstab, /boot/…, /proc/sysrq-trigger
  kBlockDevice,     // /dev/sda, /dev/nvme0n1, /dev/mem, …
  kHarmlessDevice,  // /dev/null, /dev/stdout, /dev/tty, /dev/fd/N, …
  kNetworkDevice,   // /dev/tcp/HOST/PORT, /dev/udp/…
  kKernel,          // /proc/sys/…, /sys/…
  kHistory,         // shell history files
  kLog,             // /var/log/…
  kSecret,          // ~/.ssh, ~/.gnupg, ~/.aws, ~/.netrc, private keys, … and the files in them
  kStartup,         // files whose contents run later: ~/.bashrc, ~/.profile, crontabs, autostart entries
  kDynamicRoot,     // starts with an unknown expansion then "/": "$DIR/*" is "/*" when DIR is empty
  kDynamic,         // otherwise depends on a value only known at run time
};

struct PathClass {
  PathKind kind = PathKind::kOrdinary;
  std::string shown;  // the path as resolved, for messages ("/etc", "~/.ssh", "$DIR/*")
};

/// Classifies `path` (a word's text after quote removal) as seen from `cwd`
/// ("" for the person's directory, "?" when unknown, else absolute or ~).
/// `dynamic` marks a word holding expansions other than $HOME.
PathClass ClassifyPath(const std::string& path, bool dynamic, const std::string& cwd);

/// True when `text` is the home directory or under it through $HOME
/// ("$HOME", "${HOME}/x"), an expansion known even where others are not.
bool NamesHome(const std::string& text);

/// The components of `path` with "." and empty parts dropped and ".." applied.
/// A ".." that cannot be applied (at the start, or after "~") is dropped, or
/// kept when `keep_unresolved` (for relative paths). Touches no disk.
std::vector<std::string> SplitPath(const std::string& path, bool keep_unresolved = false);

/// True for kinds whose recursive deletion, move or permission change would
/// wreck the system or the home directory.
bool IsCriticalTree(PathKind k);

}  // namespace cmdai::safety
