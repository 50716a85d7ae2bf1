#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds cmdai's own code with clang++ and warnings as errors in build-clang/,
# so that the Mac's compiler family checks every change on Linux too. It
# reuses build/'s llama.cpp and tree-sitter (run scripts/setup.sh first), so
# only cmdai's own files compile; ccache makes a repeat run cheap.
# scripts/test.sh runs it when CI=true or with --clang.
#
# Usage: scripts/clang-check.sh [TARGET...]   (default: every target)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/portable.sh
source scripts/lib/portable.sh

die() { echo "clang-check: error: $*" >&2; exit 1; }

command -v clang++ >/dev/null || die "clang++ not found; scripts/test.sh installs it (Debian: apt-get install clang)"
[[ -f build/CMakeCache.txt ]] || die "build/ is not configured; run scripts/setup.sh first"

# A value from build/'s CMake cache, or "".
cached() { sed -n "s/^$1:[A-Z]*=//p" build/CMakeCache.txt | head -n1; }

args=(-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Release -DCMDAI_WERROR=ON)
for var in CMDAI_LLAMA_PREFIX CMDAI_LLAMA_SOURCE_DIR CMDAI_TREE_SITTER_DIR CMDAI_TREE_SITTER_BASH_DIR \
  CMDAI_TEST_VOCAB CMDAI_TEST_TEMPLATE CMDAI_BUILD_TESTS CMAKE_PREFIX_PATH OPENSSL_ROOT_DIR; do
  value=$(cached "$var")
  if [[ -n "$value" ]]; then args+=("-D$var=$value"); fi
done
if command -v ccache >/dev/null; then
  args+=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

log="build-clang.configure.log"
cmake -S . -B build-clang "${args[@]}" >"$log" 2>&1 || { cat "$log" >&2; die "configure failed"; }
rm -f "$log"
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build build-clang -j "$(cpu_count)" ${targets[@]+"${targets[@]}"} >&2 || die "clang build failed (warnings are errors)"
echo "clang-check: cmdai builds warning-free with $(clang++ --version | head -n1)" >&2
