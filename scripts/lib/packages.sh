# shellcheck shell=bash
# SPDX-License-Identifier: MIT
# The system packages cmdai needs, by package manager (apt-get on Debian and
# Ubuntu, dnf on Fedora, Homebrew on macOS), and installing the missing ones.
# Two sets: `build` (scripts/setup.sh: what a user needs to build cmdai) and
# `test` (scripts/test.sh: GoogleTest, Google Benchmark, the shells and tmux
# the end-to-end tests drive, shellcheck, clang and clang-format).
#
# Debian 12 and 13 use the same -dev names below; only the runtime libraries
# they pull in differ (libyaml-cpp0.7 and libyaml-cpp0.8, libcurl4 and
# libcurl4t64), so no name here depends on the release.

# apt, dnf, brew, or "" when this system has none of them.
package_manager() {
  if [[ "$(uname -s)" == Darwin ]]; then
    if command -v brew >/dev/null 2>&1; then echo brew; fi
  elif command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1; then
    echo apt
  elif command -v dnf >/dev/null 2>&1; then
    echo dnf
  fi
}

# The names of SET (build or test) for MANAGER.
package_names() {
  case "$1/$2" in
    build/apt) echo cmake g++ git make pkg-config openssl ca-certificates ccache libtomlplusplus-dev libcli11-dev \
      nlohmann-json3-dev libcurl4-openssl-dev libyaml-cpp-dev libssl-dev ;;
    build/dnf) echo cmake gcc-c++ git make pkgconf-pkg-config openssl ca-certificates ccache tomlplusplus-devel \
      cli11-devel json-devel libcurl-devel yaml-cpp-devel openssl-devel ;;
    # The compiler and git come with Xcode's command line tools; curl with macOS.
    build/brew) echo cmake pkg-config openssl@3 ccache tomlplusplus cli11 nlohmann-json yaml-cpp ;;
    test/apt) echo libgtest-dev libgmock-dev libbenchmark-dev clang clang-format shellcheck tmux zsh fish python3 curl busybox ;;
    test/dnf) echo gtest-devel gmock-devel google-benchmark-devel clang clang-tools-extra ShellCheck tmux zsh fish busybox \
      python3 curl ;;
    # clang is Apple's (the default compiler); zsh, python3 and curl come with macOS.
    test/brew) echo googletest google-benchmark clang-format shellcheck tmux fish ;;
    *) return 1 ;;
  esac
}

# Whether MANAGER has PACKAGE installed.
package_installed() {
  case "$1" in
    apt) dpkg-query -W -f='${Status}' "$2" 2>/dev/null | grep -q "install ok installed" ;;
    dnf) rpm -q --whatprovides "$2" >/dev/null 2>&1 ;;
    brew) brew list --versions "$2" >/dev/null 2>&1 ;;
    *) return 1 ;;
  esac
}

# The command line that installs PACKAGES with MANAGER (sudo where needed).
install_command() {
  local manager="$1" sudo=""
  shift
  if [[ "$manager" != brew && "$(id -u)" -ne 0 ]]; then sudo="sudo "; fi
  case "$manager" in
    apt) echo "${sudo}apt-get install -y $*" ;;
    dnf) echo "${sudo}dnf install -y $*" ;;
    brew) echo "brew install $*" ;;
  esac
}

# Installs what is missing of SET; LOG_PREFIX names the caller in messages.
# Returns 1, after naming the command to run, when it cannot install them
# itself (no package manager it knows, or neither root nor sudo).
install_missing_packages() {
  local set="$1" who="$2" manager names p
  manager=$(package_manager)
  if [[ -z "$manager" ]]; then
    if [[ "$(uname -s)" == Darwin ]]; then
      echo "$who: Homebrew is needed (https://brew.sh); then run: brew install $(package_names "$set" brew)" >&2
      return 1
    fi
    echo "$who: unknown package manager: make sure these (or their equivalents) are installed:" \
      "$(package_names "$set" apt)" >&2
    return 0
  fi
  if [[ "$manager" == brew ]] && ! xcode-select -p >/dev/null 2>&1; then
    echo "$who: Xcode's command line tools are needed (the compiler, git); run: xcode-select --install" >&2
    return 1
  fi
  names=$(package_names "$set" "$manager")
  local missing=()
  for p in $names; do package_installed "$manager" "$p" || missing+=("$p"); done
  # npm fetches the pinned llama.cpp and tree-sitter; some Node.js packages
  # bundle it, so it counts as present whenever the command is.
  if [[ "$set" == build ]] && ! command -v npm >/dev/null 2>&1; then
    if [[ "$manager" == brew ]]; then missing+=(node); else missing+=(nodejs npm); fi
  fi
  ((${#missing[@]})) || return 0
  local cmd run=()
  cmd=$(install_command "$manager" "${missing[@]}")
  if [[ "$cmd" == sudo* ]]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "$who: missing ${missing[*]}; as root, run: ${cmd#sudo }" >&2
      return 1
    fi
    run=(sudo)
  fi
  echo "$who: installing ${missing[*]}" >&2
  case "$manager" in
    apt)
      ${run[@]+"${run[@]}"} apt-get update -qq >/dev/null &&
        ${run[@]+"${run[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null ;;
    dnf) ${run[@]+"${run[@]}"} dnf install -y -q "${missing[@]}" ;;
    brew) brew install "${missing[@]}" ;;
  esac || { echo "$who: could not install ${missing[*]}; run: $cmd" >&2; return 1; }
}
