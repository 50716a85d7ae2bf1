#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds everything (scripts/setup.sh) and runs the whole test suite: format
# check, unit tests, real llama.cpp backend tests and end-to-end CLI tests.
set -euo pipefail
cd "$(dirname "$0")/.."
# --tools: llama-server for the OpenAI-compatible backend tests, llama-bench for bench/.
scripts/setup.sh --tools "$@"
scripts/check-format.sh
ctest --test-dir build --output-on-failure -j "$(nproc 2>/dev/null || echo 2)"
