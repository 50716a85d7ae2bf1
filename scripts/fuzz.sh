#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fuzzes the shell parser and risk rater with libFuzzer (clang, ASan, UBSan).
# Seeds come from tests/safety/corpus.tsv; anything that crashes, trips a
# sanitizer or times out is copied to tests/safety/fuzz-regressions/, which the
# test suite replays.
#
# Usage: scripts/fuzz.sh [SECONDS]   (default 300)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/portable.sh
source scripts/lib/portable.sh
secs="${1:-300}"
command -v clang++ >/dev/null || { echo "fuzz: clang and its libFuzzer runtime are needed (Debian: clang and libclang-rt-N-dev for clang N)" >&2; exit 1; }
ts="$(scripts/fetch-npm-source.sh tree-sitter 0.25.1 \
  sha512-mrcEdkYtHfrK1A6fs3O6FxkBo0Qig5XUXqHhxUOQu0bmPo00QF4XaSx4edpazdHwxnSCjlGKGgIqWdaN4dvTLA==)"
tsbash="$(scripts/fetch-npm-source.sh tree-sitter-bash 0.25.1 \
  sha512-7hMytuYIMoXOq24yRulgIxthE9YmggZIOHCyPTTuJcu6EU54tYD+4G39cUb28kxC6jMf/AbPfWGLQtgPTdh3xw==)"
cmake -S fuzz -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMDAI_TREE_SITTER_DIR="$ts/vendor/tree-sitter/lib" -DCMDAI_TREE_SITTER_BASH_DIR="$tsbash/src" >/dev/null
cmake --build build-fuzz -j "$(cpu_count)" >/dev/null
mkdir -p build-fuzz/seeds build-fuzz/work build-fuzz/artifacts
i=0
# One seed per corpus line; ⏎ marks a newline inside a command (BSD sed
# cannot write one in a replacement, so bash does).
grep -v '^#' tests/safety/corpus.tsv | cut -f2- | while IFS= read -r line; do
  i=$((i + 1)); printf '%s' "${line//⏎/$'\n'}" >"build-fuzz/seeds/seed-$i"
done
# And one per trust-corpus line (RISK<TAB>DECISIONS<TAB>COMMAND).
grep -v '^#' tests/safety/trust_corpus.tsv | cut -f3- | while IFS= read -r line; do
  i=$((i + 1)); printf '%s' "${line//⏎/$'\n'}" >"build-fuzz/seeds/trust-$i"
done
cp tests/safety/fuzz-regressions/* build-fuzz/seeds/ 2>/dev/null || true
set +e
build-fuzz/rate_fuzzer -max_total_time="$secs" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix=build-fuzz/artifacts/ -print_final_stats=1 build-fuzz/work build-fuzz/seeds 2>&1 | tail -25
status=${PIPESTATUS[0]}
set -e
found=(build-fuzz/artifacts/*)
if [[ -e "${found[0]}" ]]; then
  cp build-fuzz/artifacts/* tests/safety/fuzz-regressions/
  echo "fuzz: ${#found[@]} finding(s) copied to tests/safety/fuzz-regressions/" >&2
  exit 1
fi
exit "$status"
