#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# End-to-end latency of one cmdai request on the 1.5B-shaped model, beside
# llama.cpp's own llama-bench rates for the same model, tokens and threads,
# measured in the same run. A benchmark, not a test: it asserts nothing.
#
# Usage: bench/bench.sh [--runs N] [--threads T] [--device cpu|gpu] [--model PATH] [--request TEXT]
# Builds llama-bench on first use (scripts/setup-llama.sh --tools, ~15 min on
# 2 cores) and generates the model into the cache (~1 GB, a few seconds).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/portable.sh
source scripts/lib/portable.sh

runs=5 threads="" device=cpu model="" request="list the ten largest files in this directory"
while (($#)); do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --device) device="$2"; shift 2 ;;
    --model) model="$2"; shift 2 ;;
    --request) request="$2"; shift 2 ;;
    -h|--help) sed -n '3,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown option '$1'" >&2; exit 2 ;;
  esac
done

setup_args=(--tools)
[[ "$device" == gpu ]] && setup_args+=("${CMDAI_GPU_BACKEND:---cuda}")
prefix="$(scripts/setup-llama.sh "${setup_args[@]}" | tail -n1)"
[[ -x build/cmdai && -x build/make-test-model ]] || scripts/setup.sh "${setup_args[@]}"
cache="${CMDAI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cmdai}/bench"
mkdir -p "$cache"
if [[ -z "$model" ]]; then
  model="$cache/qwen2.5-1.5b-q4_k_m-random.gguf"
  [[ -f "$model" ]] || build/make-test-model qwen2.5-1.5b "$model"
fi
# Default: one thread per physical core, as cmdai itself chooses.
[[ -n "$threads" ]] || threads=$(physical_cores)
ngl=0; [[ "$device" == gpu ]] && ngl=99

median() { sort -n | awk '{a[NR]=$1} END{print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }

echo "machine: $(uname -m), $(cpu_count) logical CPUs, $(cpu_model)"
command -v nvidia-smi >/dev/null && echo "gpu: $(nvidia-smi --query-gpu=name --format=csv,noheader | head -1)"
echo "model: $model ($(du -h "$model" | cut -f1)), threads: $threads, device: $device, runs: $runs"
echo

work="$(mktemp -d)"
trap 'kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT
server_pid=""
export XDG_CACHE_HOME="$work/cache" XDG_RUNTIME_DIR="$work/run"
mkdir -p "$XDG_RUNTIME_DIR"
run() {  # one cmdai request: prints "wall_ms rss_kb", keeps -v output in $log
  local t0 t1
  t0=$(now_ms)
  peak_rss_kb "$work/rss" build/cmdai -v --device "$device" --threads "$threads" --model "$model" \
    "$request" >/dev/null 2>"$log" || true
  t1=$(now_ms)
  echo "$((t1 - t0)) $(cat "$work/rss")"
}
log="$cache/last-run.log"

# Cold: no saved prompt state (the model file is in the page cache).
read -r cold cold_rss < <(run)
cold_line=$(grep 'prefilled' "$log")
# Warm: the prompt state saved by the cold run is restored.
walls=() rss=()
for ((i = 0; i < runs; i++)); do read -r w r < <(run); walls+=("$w"); rss+=("$r"); done
warm=$(printf '%s\n' "${walls[@]}" | median)
warm_rss=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)
line=$(grep 'prefilled' "$log")
# Resident: cmdai serve holds the model; each request is a new cmdai process.
build/cmdai serve --device "$device" --threads "$threads" --model "$model" --idle-timeout 600 2>/dev/null &
server_pid=$!
for _ in $(seq 1 600); do [[ -S "$XDG_RUNTIME_DIR/cmdai/serve.sock" ]] && break; sleep 0.1; done
run >/dev/null  # the server's first request restores the prefix
walls=()
for ((i = 0; i < runs; i++)); do read -r w _ < <(run); walls+=("$w"); done
resident=$(printf '%s\n' "${walls[@]}" | median)
server_rss=$(ps -o rss= -p "$server_pid" | tr -d ' ')
kill "$server_pid" 2>/dev/null || true
strip -o "$work/cmdai.stripped" build/cmdai
binary=$(wc -c <"$work/cmdai.stripped" | tr -d ' ')

load=$(sed -E 's/.*load ([0-9.]+) ms.*/\1/' <<<"$line")
ptok=$(sed -E 's/.*prompt ([0-9]+) tokens.*/\1/' <<<"$line")
cached=$(sed -E 's/.*: ([0-9]+) restored.*/\1/' <<<"$line")
pms=$(sed -E 's/.* prefilled in ([0-9.]+) ms.*/\1/' <<<"$line")
gtok=$(sed -E 's/.*generation ([0-9]+) tokens in ([0-9.]+) ms.*/\1/' <<<"$line")
gms=$(sed -E 's/.*generation ([0-9]+) tokens in ([0-9.]+) ms.*/\2/' <<<"$line")

# llama.cpp's own numbers for the same prompt length and threads.
gen_n=$((gtok > 0 ? gtok : 1))
csv=$("$prefix/bin/llama-bench" -m "$model" -t "$threads" -ngl "$ngl" -p "$ptok" -n 32 -r 3 -o csv 2>/dev/null)
# Columns by name from the CSV header: n_prompt, n_gen, avg_ts.
rate() {
  awk -F, -v want_p="$1" -v want_g="$2" '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    { gsub(/"/, ""); if ($col["n_prompt"] == want_p && $col["n_gen"] == want_g) printf "%.1f", $col["avg_ts"] }' <<<"$csv"
}
pp=$(rate "$ptok" 0)
tg=$(rate 0 32)
raw_ms=$(awk -v p="$ptok" -v pp="$pp" -v g="$gen_n" -v tg="$tg" 'BEGIN{printf "%.0f", p/pp*1000 + g/tg*1000}')

printf '%-48s %s\n' "cmdai cold one-shot (no saved prompt state)" "${cold} ms, peak RSS $((cold_rss / 1024)) MB"
printf '%-48s %s\n' "  $(sed -E 's/^cmdai: //' <<<"$cold_line")" ""
printf '%-48s %s\n' "cmdai warm one-shot, median of $runs" "${warm} ms, peak RSS $((warm_rss / 1024)) MB"
printf '%-48s %s\n' "  load (model + context)" "${load} ms"
printf '%-48s %s\n' "  prompt" "$ptok tokens, $cached restored, the rest prefilled in $pms ms"
printf '%-48s %s\n' "  generation" "$gtok tokens in $gms ms"
printf '%-48s %s\n' "cmdai resident (cmdai serve), median of $runs" "${resident} ms per request, server RSS $((server_rss / 1024)) MB"
printf '%-48s %s\n' "stripped cmdai binary" "$((binary / 1024 / 1024)) MB ($binary bytes)"
printf '%-48s %s\n' "llama-bench prefill (pp$ptok)" "$pp tok/s"
printf '%-48s %s\n' "llama-bench generation (tg32)" "$tg tok/s"
printf '%-48s %s\n' "raw llama.cpp compute for the same tokens" "${raw_ms} ms (all $ptok prompt tokens + $gen_n generated, no load)"
