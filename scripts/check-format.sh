#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fails when a C++ file differs from .clang-format; `--fix` rewrites them.
set -euo pipefail
cd "$(dirname "$0")/.."
files=()
while IFS= read -r f; do files+=("$f"); done < <(git ls-files '*.cc' '*.h' 2>/dev/null || find src tests tools bench -name '*.cc' -o -name '*.h')
if ! command -v clang-format >/dev/null; then
  echo "check-format: clang-format not found; install clang-format" >&2
  exit 1
fi
if [[ "${1:-}" == --fix ]]; then
  clang-format -i "${files[@]}"
  exit 0
fi
bad=0
for f in "${files[@]}"; do
  if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
    echo "check-format: $f is not formatted; run scripts/check-format.sh --fix" >&2
    bad=1
  fi
done
exit $bad
