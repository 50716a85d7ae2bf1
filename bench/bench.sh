#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# End-to-end latency of one cmdai request on the 1.5B-shaped model, paired
# run by run with raw llama.cpp doing the same work (bench/raw_oneshot.cc),
# beside llama.cpp's own llama-bench rates for the same model, tokens and
# threads, measured in the same run. A benchmark, not a test: it asserts nothing.
#
# Usage: bench/bench.sh [--runs N] [--threads T] [--device cpu|gpu] [--model PATH] [--request TEXT] [--grounding]
# Builds llama-bench on first use (scripts/setup-llama.sh --tools, ~15 min on
# 2 cores) and generates the model into the cache (~1 GB, a few seconds).
# --grounding keeps grounding on: a random-weight model's command never fits,
# so every request then adds a revise round that raw llama.cpp does not do.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/portable.sh
source scripts/lib/portable.sh

runs=5 threads="" device=cpu model="" request="list the ten largest files in this directory" grounding=false
while (($#)); do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --device) device="$2"; shift 2 ;;
    --model) model="$2"; shift 2 ;;
    --request) request="$2"; shift 2 ;;
    --grounding) grounding=true; shift ;;
    -h|--help) sed -n '3,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown option '$1'" >&2; exit 2 ;;
  esac
done
((runs >= 1)) || { echo "bench: --runs must be at least 1" >&2; exit 2; }

setup_args=(--tools)
[[ "$device" == gpu ]] && setup_args+=("${CMDAI_GPU_BACKEND:---cuda}")
prefix="$(scripts/setup-llama.sh "${setup_args[@]}" | tail -n1)"
[[ -x build/cmdai && -x build/make-test-model ]] || scripts/setup.sh "${setup_args[@]}"
[[ -x build/oneshot && -x build/raw-oneshot ]] || cmake --build build --target oneshot raw-oneshot
cache="${CMDAI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cmdai}/bench"
mkdir -p "$cache"
if [[ -z "$model" ]]; then
  model="$cache/qwen2.5-1.5b-q4_k_m-random.gguf"
  [[ -f "$model" ]] || build/make-test-model qwen2.5-1.5b "$model"
fi
# Default: one thread per physical core, as cmdai itself chooses.
[[ -n "$threads" ]] || threads=$(physical_cores)
ngl=0; [[ "$device" == gpu ]] && ngl=99
# raw-oneshot gets the context size and weight layout a one-shot of cmdai uses.
raw_args=(--threads "$threads" --ngl "$ngl" --ctx "${CMDAI_CONTEXT_SIZE:-2048}")
[[ "${CMDAI_REPACK:-auto}" == on ]] && raw_args+=(--repack)

median() { sort -n | awk '{a[NR]=$1} END{print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
range() { sort -n | awk 'NR==1{lo=$1} {hi=$1} END{print lo "-" hi}'; }
# A value from a line of key=value pairs (raw-oneshot's).
field() { sed -E "s/.* $1=([^ ]+).*/\1/" <<<"$2"; }

echo "machine: $(uname -m), $(cpu_count) logical CPUs, $(cpu_model)"
command -v nvidia-smi >/dev/null && echo "gpu: $(nvidia-smi --query-gpu=name --format=csv,noheader | head -1)"
echo "model: $model ($(du -h "$model" | cut -f1)), threads: $threads, device: $device, runs: $runs, grounding: $grounding"
echo

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
at_exit cleanup
export XDG_CACHE_HOME="$work/cache" XDG_RUNTIME_DIR="$work/run" CMDAI_GROUNDING="$grounding"
mkdir -p "$XDG_RUNTIME_DIR"
log="$cache/last-run.log" raw_log="$cache/last-raw-run.log"
run() {  # one cmdai request: prints "wall_ms rss_kb", keeps -v output in $log
  local t0 t1
  t0=$(now_ms)
  peak_rss_kb "$work/rss" build/cmdai -v --device "$device" --threads "$threads" --model "$model" \
    "$request" >/dev/null 2>"$log" || true
  t1=$(now_ms)
  echo "$((t1 - t0)) $(cat "$work/rss")"
}
# The prompt the CLI builds here, for raw-oneshot to render with the model's template.
build/oneshot --dump-prompt "$work/prompt" --request "$request"
# raw llama.cpp on the same work, N generated tokens after a prefix of K
# tokens restored (a state file per K, saved by its first run): prints
# "wall_ms rss_kb", its line in $raw_log.
run_raw() {
  local t0 t1 keep=(--prefix-tokens "$2")
  [[ "$2" -gt 0 ]] || keep=()
  t0=$(now_ms)
  peak_rss_kb "$work/rss" build/raw-oneshot "$model" --messages "$work/prompt" --state "$work/raw-$2.state" \
    --gen "$1" ${keep[@]+"${keep[@]}"} "${raw_args[@]}" --t0 "$t0" >"$raw_log" 2>&1 ||
    { echo "bench: raw-oneshot failed:" >&2; cat "$raw_log" >&2; exit 1; }
  t1=$(now_ms)
  echo "$((t1 - t0)) $(cat "$work/rss")"
}
cmdai_line() {  # the -v timing line of the last run; stops the script when there is none
  grep 'prefilled' "$log" || { echo "bench: cmdai gave no timing line:" >&2; cat "$log" >&2; exit 1; }
}
gen_tokens() { sed -E 's/.*generation ([0-9]+) tokens.*/\1/' <<<"$1"; }
time_to_command() { sed -nE 's/^cmdai: time to command ([0-9.]+) ms, to explanation ([0-9.]+) ms.*/\1 \2/p' "$log"; }

# Cold: no saved prompt state (the model file is in the page cache); raw
# llama.cpp saves its own state file on the same work.
read -r cold cold_rss < <(run)
cold_line=$(cmdai_line)
read -r raw_cold _ < <(run_raw "$(($(gen_tokens "$cold_line") > 0 ? $(gen_tokens "$cold_line") : 1))" 0)
raw_cold_line=$(cat "$raw_log")
# cmdai restores the longest prefix it saved (the one that ends after the
# working-directory line, from the second request in a directory on): one
# warm-up request says how many tokens that is, and raw llama.cpp computes
# and saves its own state for exactly that prefix before the pairs.
run >/dev/null
restored=$(sed -E 's/.*: ([0-9]+) restored.*/\1/' <<<"$(cmdai_line)")
run_raw 1 "$restored" >/dev/null
# Warm, paired: each cmdai one-shot (prompt state restored), then raw
# llama.cpp generating as many tokens as that cmdai run did.
walls=() rss=() raw_walls=() raw_rss=() ratios=() ttc=() tte=()
echo "paired warm one-shots (cmdai, then raw llama.cpp on the same model, prompt and token counts):"
for ((i = 1; i <= runs; i++)); do
  read -r w r < <(run)
  line=$(cmdai_line)
  read -r c e < <(time_to_command) || { c=0 e=0; }
  n=$(gen_tokens "$line"); ((n > 0)) || n=1
  k=$(sed -E 's/.*: ([0-9]+) restored.*/\1/' <<<"$line")
  read -r rw rr < <(run_raw "$n" "$k")
  raw_line=$(cat "$raw_log")
  ratio=$(awk -v a="$w" -v b="$rw" 'BEGIN{printf "%.2f", a/b}')
  walls+=("$w") rss+=("$r") raw_walls+=("$rw") raw_rss+=("$rr") ratios+=("$ratio") ttc+=("$c") tte+=("$e")
  printf '  run %d: cmdai %s ms, raw %s ms, ratio %s (%s tokens generated)\n' "$i" "$w" "$rw" "$ratio" "$n"
done
warm=$(printf '%s\n' "${walls[@]}" | median)
warm_rss=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)
raw_warm=$(printf '%s\n' "${raw_walls[@]}" | median)
raw_warm_rss=$(printf '%s\n' "${raw_rss[@]}" | sort -n | tail -1)
ratio_median=$(printf '%s\n' "${ratios[@]}" | median)
ratio_range=$(printf '%s\n' "${ratios[@]}" | range)
warm_ttc=$(printf '%s\n' "${ttc[@]}" | median)
warm_tte=$(printf '%s\n' "${tte[@]}" | median)
grounding_line=$(grep -E '^cmdai: (grounding|revise round)' "$log" | sed -E 's/^cmdai: //' |
  awk 'NR > 1 { printf "; " } { printf "%s", $0 } END { print "" }' || true)

# Resident: cmdai serve holds the model; each request is a new cmdai process.
build/cmdai -v serve --device "$device" --threads "$threads" --model "$model" --idle-timeout 600 \
  2>"$work/serve.log" &
server_pid=$!
for _ in $(seq 1 600); do [[ -S "$XDG_RUNTIME_DIR/cmdai/serve.sock" ]] && break; sleep 0.1; done
run >/dev/null  # the server's first request restores the prefix
walls=() ttc=()
for ((i = 0; i < runs; i++)); do
  read -r w _ < <(run)
  read -r c _ < <(time_to_command) || c=0
  walls+=("$w") ttc+=("$c")
done
resident=$(printf '%s\n' "${walls[@]}" | median)
resident_ttc=$(printf '%s\n' "${ttc[@]}" | median)
server_rss=$(ps -o rss= -p "$server_pid" | tr -d ' ')
kill "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
server_pid=""
# The server's -v line names its weights' layout ("weights repacked") where it does.
server_repack=$(grep -io '[^(,]*repack[^),]*' "$work/serve.log" | head -1 | sed -E 's/^ +//' || true)
strip -o "$work/cmdai.stripped" build/cmdai
binary=$(wc -c <"$work/cmdai.stripped" | tr -d ' ')

load=$(sed -E 's/.*load ([0-9.]+) ms.*/\1/' <<<"$line")
ptok=$(sed -E 's/.*prompt ([0-9]+) tokens.*/\1/' <<<"$line")
cached=$(sed -E 's/.*: ([0-9]+) restored.*/\1/' <<<"$line")
pms=$(sed -E 's/.* prefilled in ([0-9.]+) ms.*/\1/' <<<"$line")
gtok=$(sed -E 's/.*generation ([0-9]+) tokens( \([0-9]+ forced\))? in ([0-9.]+) ms.*/\1/' <<<"$line")
gms=$(sed -E 's/.*generation ([0-9]+) tokens( \([0-9]+ forced\))? in ([0-9.]+) ms.*/\3/' <<<"$line")
# The same work, or the pairing means nothing.
same_work="same prompt and prefix"
if [[ "$(field prompt_tokens "$raw_line")" != "$ptok" || "$(field prefix_tokens "$raw_line")" != "$cached" ]]; then
  same_work="NOT the same work: cmdai $ptok prompt tokens ($cached restored), raw $(field prompt_tokens "$raw_line") ($(field prefix_tokens "$raw_line") prefix)"
fi

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

echo
printf '%-48s %s\n' "cmdai cold one-shot (no saved prompt state)" "${cold} ms, peak RSS $((cold_rss / 1024)) MB"
printf '%-48s %s\n' "  $(sed -E 's/^cmdai: //' <<<"$cold_line")" ""
printf '%-48s %s\n' "raw llama.cpp cold (computes and saves its state)" "${raw_cold} ms: $(sed -E 's/^raw-oneshot: //' <<<"$raw_cold_line")"
printf '%-48s %s\n' "cmdai warm one-shot, median of $runs" "${warm} ms, peak RSS $((warm_rss / 1024)) MB"
printf '%-48s %s\n' "  load (model + context)" "${load} ms"
printf '%-48s %s\n' "  prompt" "$ptok tokens, $cached restored, the rest prefilled in $pms ms"
printf '%-48s %s\n' "  generation" "$gtok tokens in $gms ms"
printf '%-48s %s\n' "  time to command, median" "${warm_ttc} ms (to explanation ${warm_tte} ms)"
[[ -z "$grounding_line" ]] || printf '%-48s %s\n' "  grounding (last run)" "$grounding_line"
printf '%-48s %s\n' "raw llama.cpp warm one-shot, median of $runs" "${raw_warm} ms, peak RSS $((raw_warm_rss / 1024)) MB"
printf '%-48s %s\n' "  last run" "load $(field load_ms "$raw_line") ms, $(field prefix_tokens "$raw_line") restored in $(field restore_ms "$raw_line") ms, $(field prefilled "$raw_line") prefilled in $(field prefill_ms "$raw_line") ms, $(field gen_tokens "$raw_line") generated in $(field gen_ms "$raw_line") ms"
printf '%-48s %s\n' "paired ratio cmdai/raw, warm one-shot" "median $ratio_median (range $ratio_range; $same_work)"
printf '%-48s %s\n' "cmdai resident (cmdai serve), median of $runs" "${resident} ms per request, server RSS $((server_rss / 1024)) MB"
printf '%-48s %s\n' "  time to command, median" "${resident_ttc} ms"
printf '%-48s %s\n' "  server's repack" "${server_repack:-(not shown by cmdai -v serve)}"
printf '%-48s %s\n' "stripped cmdai binary" "$((binary / 1024 / 1024)) MB ($binary bytes)"
printf '%-48s %s\n' "llama-bench prefill (pp$ptok)" "$pp tok/s"
printf '%-48s %s\n' "llama-bench generation (tg32)" "$tg tok/s"
printf '%-48s %s\n' "raw llama.cpp compute for the same tokens" "${raw_ms} ms (all $ptok prompt tokens + $gen_n generated, no load)"
