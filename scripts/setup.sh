#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what cmdai needs, builds the pinned llama.cpp once (cached outside
# the checkout), and builds cmdai into build/ (build/cmdai, build/make-test-model).
#
# Usage: scripts/setup.sh [--cuda] [--vulkan] [--metal] [--tools] [--debug] [--werror]
#   GPU options pick llama.cpp's backend; --tools also builds llama-bench and
#   llama-server (for bench/ and the server tests); --werror makes warnings in
#   cmdai's own code errors (CI and developers; never the default).
# Environment: CMDAI_LLAMA_PREFIX=DIR uses an installed llama.cpp instead;
#   CMDAI_LLAMA_SOURCE_DIR=DIR builds one from a source tree you name.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "setup: $*" >&2; }
die() { echo "setup: error: $*" >&2; exit 1; }

llama_args=() build_type=Release werror=OFF
for arg in "$@"; do
  case "$arg" in
    --cuda|--vulkan|--metal|--no-metal|--tools) llama_args+=("$arg") ;;
    --debug) build_type=Debug ;;
    --werror) werror=ON ;;
    -h|--help) sed -n '3,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$arg'; see --help" ;;
  esac
done

# Debian/Ubuntu packages. Elsewhere, install the equivalents by hand.
packages=(cmake g++ git make pkg-config openssl ca-certificates ccache curl
  libtomlplusplus-dev libcli11-dev nlohmann-json3-dev libcurl4-openssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev libyaml-cpp-dev libssl-dev clang-format tmux zsh fish python3)
if command -v dpkg-query >/dev/null; then
  missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  # npm fetches the pinned llama.cpp; some Node.js packages bundle it.
  command -v npm >/dev/null || missing+=(nodejs npm)
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -qq >/dev/null || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null \
      || die "could not install: ${missing[*]}"
  fi
else
  log "not a Debian system: make sure these (or equivalents) are installed: ${packages[*]}"
fi

cmake_args=(-DCMAKE_BUILD_TYPE="$build_type" -DCMDAI_WERROR="$werror")
if [[ -n "${CMDAI_LLAMA_SOURCE_DIR:-}" ]]; then
  cmake_args+=(-DCMDAI_LLAMA_SOURCE_DIR="$CMDAI_LLAMA_SOURCE_DIR")
elif [[ -n "${CMDAI_LLAMA_PREFIX:-}" ]]; then
  cmake_args+=(-DCMDAI_LLAMA_PREFIX="$CMDAI_LLAMA_PREFIX")
else
  prefix="$(scripts/setup-llama.sh "${llama_args[@]}" | tail -n1)"
  cmake_args+=(-DCMDAI_LLAMA_PREFIX="$prefix")
fi

# tree-sitter and its bash grammar: C sources from pinned npm packages.
ts="$(scripts/fetch-npm-source.sh tree-sitter 0.25.1 \
  sha512-mrcEdkYtHfrK1A6fs3O6FxkBo0Qig5XUXqHhxUOQu0bmPo00QF4XaSx4edpazdHwxnSCjlGKGgIqWdaN4dvTLA==)"
tsbash="$(scripts/fetch-npm-source.sh tree-sitter-bash 0.25.1 \
  sha512-7hMytuYIMoXOq24yRulgIxthE9YmggZIOHCyPTTuJcu6EU54tYD+4G39cUb28kxC6jMf/AbPfWGLQtgPTdh3xw==)"
cmake_args+=(-DCMDAI_TREE_SITTER_DIR="$ts/vendor/tree-sitter/lib" -DCMDAI_TREE_SITTER_BASH_DIR="$tsbash/src")

command -v ccache >/dev/null && cmake_args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B build "${cmake_args[@]}" >build.configure.log 2>&1 || { cat build.configure.log >&2; die "configure failed"; }
rm -f build.configure.log
cmake --build build -j "$(nproc 2>/dev/null || echo 2)" >&2 || die "build failed"
log "built build/cmdai"
