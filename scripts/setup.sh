#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what cmdai needs to build with the system's package manager (apt-get
# on Debian and Ubuntu, dnf on Fedora, Homebrew on macOS; elsewhere it names
# the packages), builds the pinned llama.cpp once (cached outside the
# checkout), and builds cmdai into build/ (build/cmdai, build/make-test-model).
#
# Usage: scripts/setup.sh [--cuda] [--vulkan] [--metal|--no-metal] [--tools] [--tests] [--debug] [--werror]
#   GPU options pick llama.cpp's backend (Metal is on by default on macOS);
#   --tools also builds llama-bench and llama-server (for bench/ and the
#   server tests); --tests requires the tests to build (scripts/test.sh, which
#   installs GoogleTest and the other test tools); --werror makes warnings in
#   cmdai's own code errors (CI and developers; never the default).
# Environment: CMDAI_LLAMA_PREFIX=DIR uses an installed llama.cpp instead;
#   CMDAI_LLAMA_SOURCE_DIR=DIR builds one from a source tree you name.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/portable.sh
source scripts/lib/portable.sh
# shellcheck source=scripts/lib/packages.sh
source scripts/lib/packages.sh

log() { echo "setup: $*" >&2; }
die() { echo "setup: error: $*" >&2; exit 1; }

llama_args=() build_type=Release werror=OFF tests=""
for arg in "$@"; do
  case "$arg" in
    --cuda|--vulkan|--metal|--no-metal|--tools) llama_args+=("$arg") ;;
    --tests) tests=ON ;;
    --debug) build_type=Debug ;;
    --werror) werror=ON ;;
    -h|--help) sed -n '3,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$arg'; see --help" ;;
  esac
done

install_missing_packages build setup || die "install the packages named above, then run scripts/setup.sh again"

cmake_args=(-DCMAKE_BUILD_TYPE="$build_type" -DCMDAI_WERROR="$werror")
[[ -n "$tests" ]] && cmake_args+=(-DCMDAI_BUILD_TESTS="$tests")
if [[ -n "${CMDAI_LLAMA_SOURCE_DIR:-}" ]]; then
  cmake_args+=(-DCMDAI_LLAMA_SOURCE_DIR="$CMDAI_LLAMA_SOURCE_DIR")
elif [[ -n "${CMDAI_LLAMA_PREFIX:-}" ]]; then
  cmake_args+=(-DCMDAI_LLAMA_PREFIX="$CMDAI_LLAMA_PREFIX")
else
  prefix="$(scripts/setup-llama.sh ${llama_args[@]+"${llama_args[@]}"} | tail -n1)"
  [[ -n "$prefix" ]] || die "scripts/setup-llama.sh failed"
  cmake_args+=(-DCMDAI_LLAMA_PREFIX="$prefix")
fi

# tree-sitter and its bash grammar: C sources from pinned npm packages.
ts="$(scripts/fetch-npm-source.sh tree-sitter 0.25.1 \
  sha512-mrcEdkYtHfrK1A6fs3O6FxkBo0Qig5XUXqHhxUOQu0bmPo00QF4XaSx4edpazdHwxnSCjlGKGgIqWdaN4dvTLA==)"
tsbash="$(scripts/fetch-npm-source.sh tree-sitter-bash 0.25.1 \
  sha512-7hMytuYIMoXOq24yRulgIxthE9YmggZIOHCyPTTuJcu6EU54tYD+4G39cUb28kxC6jMf/AbPfWGLQtgPTdh3xw==)"
cmake_args+=(-DCMDAI_TREE_SITTER_DIR="$ts/vendor/tree-sitter/lib" -DCMDAI_TREE_SITTER_BASH_DIR="$tsbash/src")

# Homebrew's OpenSSL is keg-only: CMake finds it only when told where.
if [[ "$(package_manager)" == brew ]]; then
  cmake_args+=(-DCMAKE_PREFIX_PATH="$(brew --prefix)" -DOPENSSL_ROOT_DIR="$(brew --prefix openssl@3)")
fi
command -v ccache >/dev/null && cmake_args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B build "${cmake_args[@]}" >build.configure.log 2>&1 || { cat build.configure.log >&2; die "configure failed"; }
rm -f build.configure.log
cmake --build build -j "$(cpu_count)" >&2 || die "build failed"
log "built build/cmdai"
