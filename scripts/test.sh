#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs the test-only tools, builds everything (scripts/setup.sh) and runs
# the whole test suite: format, portability and shell-script checks, unit
# tests, real llama.cpp backend tests and end-to-end CLI tests; with CI=true
# or --clang, also the clang build of cmdai's code (scripts/clang-check.sh).
#
# Usage: scripts/test.sh [--clang] [setup.sh options, e.g. --werror]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/portable.sh
source scripts/lib/portable.sh
# shellcheck source=scripts/lib/packages.sh
source scripts/lib/packages.sh

clang=0 setup_args=()
[[ "${CI:-}" == true ]] && clang=1
for arg in "$@"; do
  case "$arg" in
    --clang) clang=1 ;;
    *) setup_args+=("$arg") ;;
  esac
done

# GoogleTest, Google Benchmark, tmux and the shells the end-to-end tests
# drive, python3 and curl for the stand-in servers, shellcheck, clang and
# clang-format: for tests only, so setup.sh never installs them.
install_missing_packages test test || { echo "test: install the packages named above" >&2; exit 1; }
# --tools: llama-server for the OpenAI-compatible backend tests, llama-bench for bench/.
# --tests: the tests must build (a missing GoogleTest fails here, not silently).
scripts/setup.sh --tools --tests ${setup_args[@]+"${setup_args[@]}"}
scripts/check-format.sh
scripts/check-posix.sh
shellcheck -x scripts/*.sh scripts/lib/*.sh bench/*.sh .ci/run
if ((clang)); then scripts/clang-check.sh; fi
ctest --test-dir build --output-on-failure -j "$(cpu_count)"
# Every README and docs/cli.md example that needs no model, run and compared.
scripts/check-doc-examples.sh build/cmdai
