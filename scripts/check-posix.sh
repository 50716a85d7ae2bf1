#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fails when a platform-specific call appears outside the one place allowed for
# it, so that cmdai keeps building on Linux, macOS and the BSDs:
#  - C and C++: Linux-only (and macOS-only) system calls, flags, headers and
#    /proc files belong in src/common/posix.{h,cc}; the tests' one such call
#    in tests/support/die_with_parent.h.
#  - Shell: GNU-only tool forms (sha256sum, base64 -w, nproc, flock, date +%N,
#    sed -i, readlink -f, stat -c, GNU time -f) belong in scripts/lib/portable.sh,
#    which falls back to the BSD form. bench/gpu-bench.sh (CUDA on Linux by
#    design) and this script (its patterns name them) are not checked.
# Comments are not checked. Usage: scripts/check-posix.sh
set -euo pipefail
cd "$(dirname "$0")/.."

cxx_allowed='^(src/common/posix\.(h|cc)|tests/support/die_with_parent\.h)$'
cxx_pattern='(^|[^[:alnum:]_])(clone|clone3|unshare|pipe2|accept4|dup3|prctl|epoll_[a-z_]+|inotify_[a-z_]+|memfd_create|signalfd|timerfd_[a-z_]+|eventfd|sendfile|getrandom|sched_getaffinity|get_nprocs|statfs|fstatfs|syncfs|gettid|copy_file_range|sysctl|sysctlbyname|_NSGetExecutablePath|procctl)[[:space:]]*\('
cxx_pattern+='|(^|[^[:alnum:]_])(SOCK_CLOEXEC|SOCK_NONBLOCK|MSG_NOSIGNAL|SO_NOSIGPIPE|O_PATH|O_TMPFILE|O_DIRECT|TEMP_FAILURE_RETRY|PR_SET_[A-Z_]+|CLONE_[A-Z_]+|program_invocation_(short_)?name)([^[:alnum:]_]|$)'
cxx_pattern+='|#[[:space:]]*include[[:space:]]*<(sys/(prctl|epoll|inotify|eventfd|signalfd|timerfd|sendfile|sysinfo|vfs|statfs|random|sysctl|procctl)\.h|linux/|mach-o/|mach/)'
cxx_pattern+='|/proc/(self|thread-self|cpuinfo|meminfo|mounts|loadavg|stat|uptime|[0-9])'

sh_allowed='^(scripts/lib/portable\.sh|scripts/check-posix\.sh|bench/gpu-bench\.sh)$'
sh_pattern='(^|[^[:alnum:]_-])(sha256sum|sha512sum|md5sum|nproc|flock)([^[:alnum:]_-]|$)'
sh_pattern+='|base64[[:space:]]+(-w|--wrap)|date[^|;]*\+%[^ ]*N|sed[[:space:]]+(-[a-zE]*i|--in-place)|readlink[[:space:]]+-[a-z]*f'
sh_pattern+='|stat[[:space:]]+(-c|--format)|/usr/bin/time[[:space:]]+-f|/proc/(cpuinfo|meminfo|self)'

# Prints "file:line: text" for each hit of PATTERN in FILES, outside comments
# (a // or # with no quote before it on the line) and outside ALLOWED files.
scan() {
  local pattern="$1" allowed="$2" comment="$3" f
  shift 3
  for f in "$@"; do
    [[ -f "$f" ]] || continue
    [[ "$f" =~ $allowed ]] && continue
    awk -v pat="$pattern" -v comment="$comment" -v file="$f" '
      # The line up to its comment: a // (C++) or a # at a word start (shell),
      # outside single and double quotes.
      function code(line,   i, c, q, n) {
        q = ""; n = length(line)
        for (i = 1; i <= n; i++) {
          c = substr(line, i, 1)
          if (q != "") { if (c == "\\") i++; else if (c == q) q = ""; continue }
          if (c == "\"" || c == "\047") { q = c; continue }
          if (comment == "//" && substr(line, i, 2) == "//") return substr(line, 1, i - 1)
          if (comment == "#" && c == "#" && (i == 1 || substr(line, i - 1, 1) ~ /[ \t;]/)) return substr(line, 1, i - 1)
        }
        return line
      }
      { if (code($0) ~ pat) { printf "%s:%d: %s\n", file, NR, $0; found = 1 } }
      END { exit found ? 1 : 0 }' "$f" || true
  done
}

list() { git ls-files --cached --others --exclude-standard "$@" 2>/dev/null || true; }

# shellcheck disable=SC2046  # file names from git: no spaces in this tree
cxx_hits=$(scan "$cxx_pattern" "$cxx_allowed" "//" $(list 'src/*.cc' 'src/*.h' 'tests/*.cc' 'tests/*.h' 'tools/*.cc' 'bench/*.cc' 'fuzz/*.cc' 'fuzz/*.c'))
# shellcheck disable=SC2046
sh_hits=$(scan "$sh_pattern" "$sh_allowed" "#" $(list 'scripts/*.sh' 'bench/*.sh' '.ci/run'))

status=0
if [[ -n "$cxx_hits" ]]; then
  echo "check-posix: Linux-only (or macOS-only) calls outside src/common/posix.{h,cc}; add a function there:" >&2
  echo "$cxx_hits" >&2
  status=1
fi
if [[ -n "$sh_hits" ]]; then
  echo "check-posix: GNU-only tool forms outside scripts/lib/portable.sh; use its functions:" >&2
  echo "$sh_hits" >&2
  status=1
fi
exit "$status"
