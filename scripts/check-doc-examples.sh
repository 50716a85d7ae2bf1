#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs every `$ cmdai …` example in the ```console blocks of README.md and
# docs/cli.md that needs no model, and compares what it prints (stdout and
# stderr together) with the lines under it, byte for byte. An example that
# would need a model (cmdai is run offline with an empty cache, so it stops
# with "not in the cache") is skipped and counted; a file whose examples all
# skip fails, so the check cannot pass by running nothing.
#
# Usage: scripts/check-doc-examples.sh [CMDAI_BINARY]   (default build/cmdai)
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${1:-build/cmdai}
[[ -x "$bin" ]] || { echo "check-doc-examples: no binary at $bin; build it first" >&2; exit 1; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/bin" "$scratch/home" "$scratch/work"
ln -s "$bin" "$scratch/bin/cmdai"

failures=0

# Runs one example in a clean, offline environment; prints its output.
run_example() {
  (cd "$scratch/work" &&
    env -i PATH="$scratch/bin:/usr/bin:/bin" HOME="$scratch/home" \
      XDG_CONFIG_HOME="$scratch/home/.config" XDG_CACHE_HOME="$scratch/home/.cache" \
      XDG_DATA_HOME="$scratch/home/.local/share" HF_HOME="$scratch/home/.cache/huggingface" \
      CMDAI_OFFLINE=1 NO_COLOR=1 TERM=dumb SHELL=/bin/bash LANG=C.UTF-8 \
      bash -o pipefail -c "$1" </dev/null 2>&1)
}

# check FILE LINE COMMAND EXPECTED
check() {
  local file=$1 line=$2 command=$3 expected=$4 actual rc=0
  actual=$(run_example "$command") || rc=$?
  if [[ "$actual" == *"not in the cache"* ]]; then
    skipped=$((skipped + 1))
    return
  fi
  ran=$((ran + 1))
  if [[ "$actual" != "$expected" ]]; then
    failures=$((failures + 1))
    {
      echo "$file:$line: \$ $command (exit $rc)"
      diff <(printf '%s\n' "$expected") <(printf '%s\n' "$actual") || true
    } >&2
  fi
}

for file in README.md docs/cli.md; do
  ran=0 skipped=0 in_block=0 command="" expected="" start=0 n=0
  # shellcheck disable=SC2094  # check only names the file in its messages
  while IFS= read -r text || [[ -n "$text" ]]; do
    n=$((n + 1))
    if ((!in_block)); then
      [[ "$text" == '```console' ]] && in_block=1
      continue
    fi
    if [[ "$text" == '```' || "$text" == '$ '* ]]; then
      if [[ -n "$command" ]]; then check "$file" "$start" "$command" "${expected%$'\n'}"; fi
      command="" expected=""
      if [[ "$text" == '```' ]]; then
        in_block=0
      elif [[ "$text" == '$ cmdai'* ]]; then
        command=${text#'$ '} start=$n
      fi
      continue
    fi
    [[ -n "$command" ]] && expected+="$text"$'\n'
  done <"$file"
  echo "check-doc-examples: $file: $ran run, $skipped need a model"
  if ((ran == 0)); then
    echo "check-doc-examples: $file: no example ran" >&2
    failures=$((failures + 1))
  fi
done

if ((failures)); then
  echo "check-doc-examples: $failures failed" >&2
  exit 1
fi
