# shellcheck shell=bash
# SPDX-License-Identifier: MIT
# What differs between GNU tools (Linux) and BSD tools (macOS, FreeBSD), in
# one place: digests, one-line base64, CPU counts, a millisecond clock, peak
# memory, a lock, and exit hooks. Scripts source this file instead of calling
# sha256sum, `base64 -w0`, nproc, flock or `date +%N` themselves;
# scripts/check-posix.sh fails when one does. Works in bash 3.2 (macOS's).

# Prints the SHA-256 of FILE (or of stdin without one) as lowercase hex.
sha256_hex() {
  local digest
  if command -v sha256sum >/dev/null 2>&1; then
    digest=$(sha256sum "$@") || return 1
  elif command -v shasum >/dev/null 2>&1; then
    digest=$(shasum -a 256 "$@") || return 1
  else
    digest=$(openssl dgst -sha256 -r "$@") || return 1
  fi
  echo "${digest%% *}"
}

# Base64 of stdin on one line, without wrapping (GNU base64 wraps at 76 and
# spells "no wrapping" -w0; BSD's has no -w). openssl is already needed.
base64_line() { openssl base64 -A; }

# Logical CPUs online.
cpu_count() {
  getconf _NPROCESSORS_ONLN 2>/dev/null || sysctl -n hw.ncpu 2>/dev/null || echo 2
}

# Physical cores (not hyper-threads), as cmdai itself counts them; falls back
# to the logical count.
physical_cores() {
  local n=""
  if [[ -r /proc/cpuinfo ]]; then
    n=$(awk -F: '/^physical id/{p=$2} /^core id/{print p":"$2}' /proc/cpuinfo | sort -u | wc -l | tr -d ' ')
  elif [[ "$(uname -s)" == Darwin ]]; then
    n=$(sysctl -n hw.perflevel0.physicalcpu 2>/dev/null || sysctl -n hw.physicalcpu 2>/dev/null || true)
  fi
  if [[ -n "$n" && "$n" -gt 0 ]]; then echo "$n"; else cpu_count; fi
}

# The processor's model name, or "unknown".
cpu_model() {
  local name=""
  if [[ -r /proc/cpuinfo ]]; then
    name=$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)
  else
    name=$(sysctl -n machdep.cpu.brand_string 2>/dev/null || sysctl -n hw.model 2>/dev/null || true)
  fi
  echo "${name:-unknown}"
}

# Milliseconds since the epoch (GNU date has %N; BSD date does not).
now_ms() {
  if [[ -n "${EPOCHREALTIME:-}" ]]; then  # bash 5
    local t=${EPOCHREALTIME/[.,]/}
    echo $((t / 1000))
  else
    perl -MTime::HiRes=time -e 'printf "%d\n", time() * 1000'
  fi
}

# Runs a command and writes its peak resident memory in KiB to FILE:
# peak_rss_kb FILE COMMAND... ; returns the command's status. GNU time says
# `-f %M` (KiB); BSD time says `-l` (bytes on macOS, KiB on FreeBSD).
peak_rss_kb() {
  local out="$1" status=0
  shift
  if /usr/bin/time -f %M true >/dev/null 2>&1; then
    /usr/bin/time -f %M -o "$out" "$@" || status=$?
  else
    local raw
    raw=$(mktemp "${TMPDIR:-/tmp}/rss.XXXXXX")
    /usr/bin/time -l -o "$raw" "$@" || status=$?
    local n
    n=$(awk '/maximum resident set size/{print $1; exit}' "$raw")
    rm -f "$raw"
    if [[ "$(uname -s)" == Darwin ]]; then n=$((n / 1024)); fi
    echo "${n:-0}" >"$out"
  fi
  return "$status"
}

# Exit hooks that compose: each script's cleanup and the lock's release run,
# in order, where a second `trap ... EXIT` would replace the first.
_portable_exit_hooks=()
_portable_run_exit_hooks() {
  local hook
  for hook in ${_portable_exit_hooks[@]+"${_portable_exit_hooks[@]}"}; do eval "$hook"; done
}
at_exit() {
  _portable_exit_hooks+=("$1")
  trap _portable_run_exit_hooks EXIT
}

# Holds an exclusive lock named by PATH until the script exits; waits for a
# holder to finish. flock(1) where it exists (Linux); elsewhere (macOS has
# none) a PATH.d directory made atomically by mkdir, holding the owner's pid,
# taken over when that process is gone (a holder killed with SIGKILL). Two
# waiters taking over one stale lock at the same instant may both get it: rare
# enough for setup scripts, whose worst case is building the same thing twice.
lock_until_exit() {
  local path="$1"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$path"
    flock 9 || { echo "cannot lock $path" >&2; return 1; }
    return 0
  fi
  local dir="$path.d" waited=0 owner
  until mkdir "$dir" 2>/dev/null; do
    owner=$(cat "$dir/pid" 2>/dev/null || true)
    if [[ -n "$owner" ]] && ! kill -0 "$owner" 2>/dev/null; then
      rm -rf "$dir"  # its holder died without releasing it
      continue
    fi
    if ((waited % 30 == 0)); then echo "waiting for the lock $dir (held by process ${owner:-?})" >&2; fi
    waited=$((waited + 1))
    sleep 1
  done
  echo $$ >"$dir/pid"
  at_exit "rm -rf '$dir'"
}
