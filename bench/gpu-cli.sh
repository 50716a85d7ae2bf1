#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The real cmdai CLI, built with CUDA and measured on a GPU machine that has a
# compiler, CUDA and CMake but none of cmdai's other build dependencies and no
# network (the lent H100/H200: Ubuntu 24.04, GCC 13). A benchmark: it asserts
# nothing. What it needs travels in DEPS, made on a Debian 12 machine with
# network by `bench/gpu-cli.sh --fetch DEPS`:
#   DEPS/debs/*.deb         Debian 12 -dev packages and runtime libraries
#                           (toml++, CLI11, nlohmann-json, yaml-cpp, curl, OpenSSL)
#   DEPS/llama-src.tar.gz   the pinned llama.cpp source (scripts/setup-llama.sh's)
#   DEPS/tree-sitter.tar.gz the tree-sitter runtime and bash grammar sources
# The packages are unpacked into a private prefix (never into /), CMake is
# pointed at it, and LD_LIBRARY_PATH at its libraries when cmdai runs.
#
# Usage: bench/gpu-cli.sh --fetch DEPS         (here, with network)
#        bench/gpu-cli.sh build DEPS [LOG]     (there: llama.cpp with CUDA as
#                                               modules, then cmdai; idempotent)
#        bench/gpu-cli.sh measure OUTDIR       (there, after build)
# Environment: CMDAI_CUDA_ARCHITECTURES (default 90, Hopper).
set -euo pipefail
# shellcheck source=scripts/lib/portable.sh
source "$(dirname "$0")/../scripts/lib/portable.sh"
cd "$(dirname "$0")/.."
root=/tmp/cmdai-gpu                  # everything it builds or writes, outside the checkout
prefix=$root/deps                    # the unpacked packages
lib=$prefix/usr/lib/x86_64-linux-gnu
bin=$root/build                      # cmdai's build directory
request="list the ten largest files in this directory"

fetch() {
  local deps="$1"
  mkdir -p "$deps/debs"
  (cd "$deps/debs" && apt-get download libtomlplusplus-dev libtomlplusplus3 libcli11-dev nlohmann-json3-dev \
    libyaml-cpp-dev libyaml-cpp0.7 libcurl4-openssl-dev libcurl4 libssl-dev libssl3 libnghttp2-14 librtmp1 \
    libssh2-1 libpsl5 libldap-2.5-0 libgssapi-krb5-2 libkrb5-3 libk5crypto3 libkrb5support0 libbrotli1 \
    libsasl2-2 libzstd1 zlib1g libidn2-0 libunistring2 libgnutls30 libhogweed6 libnettle8 libgmp10 \
    libp11-kit0 libtasn1-6 libffi8 libkeyutils1 libcom-err2)
  local cache="${CMDAI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cmdai}"
  local src="$cache/llama.cpp/src-v0.5.0" t="$deps/llama-src.tar"
  [[ -f "$src/.cmdai-verified" ]] || scripts/setup-llama.sh >/dev/null
  # The source without its history, other platforms' backends, docs and test models.
  (cd "$src" && tar --exclude=.git --exclude='./models/*' --exclude=./docs --exclude=./tools --exclude=./examples \
    --exclude=./tests --exclude=./gguf-py --exclude=./ggml/src/ggml-sycl --exclude=./ggml/src/ggml-opencl \
    --exclude=./ggml/src/ggml-cann --exclude=./ggml/src/ggml-musa --exclude=./ggml/src/ggml-hexagon \
    --exclude=./ggml/src/ggml-openvino --exclude=./ggml/src/ggml-zdnn -cf "$OLDPWD/$t" . &&
    tar -rf "$OLDPWD/$t" ./models/ggml-vocab-qwen2.gguf ./models/templates/Qwen-Qwen2.5-7B-Instruct.jinja \
      ./examples/simple)
  gzip -f "$t"
  (cd "$cache/npm" && tar -czf "$OLDPWD/$deps/tree-sitter.tar.gz" tree-sitter-0.25.1/vendor/tree-sitter/lib \
    tree-sitter-bash-0.25.1/src)
  du -sh "$deps"
}

build() {
  local deps t0
  deps="$(cd "$1" && pwd)"
  mkdir -p "$root"
  if [[ ! -d "$prefix/usr" ]]; then
    for f in "$deps"/debs/*.deb; do dpkg -x "$f" "$prefix"; done
  fi
  CMDAI_JOBS="$(cpu_count)"
  export CMDAI_CACHE_DIR=$root/cache CMDAI_JOBS CMDAI_CUDA_ARCHITECTURES="${CMDAI_CUDA_ARCHITECTURES:-90}"
  local src=$CMDAI_CACHE_DIR/llama.cpp/src-v0.5.0
  if [[ ! -f "$src/.cmdai-verified" ]]; then
    mkdir -p "$src" && tar -xzf "$deps/llama-src.tar.gz" -C "$src" && touch "$src/.cmdai-verified"
  fi
  [[ -d $root/ts ]] || { mkdir -p $root/ts && tar -xzf "$deps/tree-sitter.tar.gz" -C $root/ts; }
  t0=$(date +%s)
  local llama
  llama="$(scripts/setup-llama.sh --cuda | tail -n1)"
  echo "llama.cpp (CUDA, modules) ready in $(($(date +%s) - t0)) s: $llama"
  t0=$(date +%s)
  # -Werror stays off: a user's build (GCC 13 warns where GCC 12 did not).
  cmake -S . -B "$bin" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMDAI_LLAMA_PREFIX="$llama" \
    -DCMAKE_PREFIX_PATH="$prefix/usr" -DCURL_LIBRARY="$lib/libcurl.so" \
    -DCURL_INCLUDE_DIR="$prefix/usr/include/x86_64-linux-gnu" -DOPENSSL_ROOT_DIR="$prefix/usr" \
    -DCMAKE_CXX_FLAGS="-isystem $prefix/usr/include/x86_64-linux-gnu -isystem $prefix/usr/include" \
    -DCMAKE_EXE_LINKER_FLAGS="-Wl,-rpath-link,$lib" \
    -DCMDAI_TREE_SITTER_DIR=$root/ts/tree-sitter-0.25.1/vendor/tree-sitter/lib \
    -DCMDAI_TREE_SITTER_BASH_DIR=$root/ts/tree-sitter-bash-0.25.1/src \
    -DCMDAI_BUILD_TESTS=OFF -DCMDAI_BUILD_BENCH=OFF -DCMDAI_WERROR=OFF >$root/cmdai-configure.log 2>&1 ||
    { tail -40 $root/cmdai-configure.log; exit 1; }
  cmake --build "$bin" -j "$(cpu_count)" --target cmdai make-test-model oneshot raw-oneshot >$root/cmdai-build.log 2>&1 ||
    { grep -B2 -A8 -m5 'error' $root/cmdai-build.log; exit 1; }
  # Raw llama.cpp for the same work: its own minimal example, against the same libraries.
  g++ -O2 -std=c++17 "$src/examples/simple/simple.cpp" -I"$llama/include" -L"$llama/lib" -lllama -lggml -lggml-base \
    -Wl,-rpath,"$llama/lib" -o "$llama/bin/llama-simple"
  echo "cmdai built in $(($(date +%s) - t0)) s"
  touch $root/.built
}

ms_now() { now_ms; }
median() { sort -n | awk '{a[NR]=$1} END{print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
# Runs a command N times, prints the wall times in ms, one a line.
walls() {
  local n="$1" t
  shift
  for ((i = 0; i < n; i++)); do
    t=$(ms_now)
    "$@" >/dev/null 2>&1 || true
    echo $(($(ms_now) - t))
  done
}

measure() {
  local out="$1" llama m
  mkdir -p "$out"
  llama=$(find $root/cache/llama.cpp -maxdepth 1 -name 'v0.5.0-*' -type d | head -1)
  export LD_LIBRARY_PATH=$lib
  export XDG_CACHE_HOME=$root/xdg/cache XDG_RUNTIME_DIR=$root/xdg/run XDG_CONFIG_HOME=$root/xdg/config
  rm -rf $root/xdg && mkdir -p $XDG_CACHE_HOME $XDG_RUNTIME_DIR $XDG_CONFIG_HOME
  local cmdai=$bin/cmdai
  # One-shots stay one-shots (autostart is measured on its own below), and a
  # random-weight model's command never exists here: no revise round.
  export CMDAI_SERVE_AUTOSTART=off CMDAI_GROUNDING=false
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
  echo "cpu: $(cpu_count) logical CPUs, $(cpu_model)"
  echo "== sizes"
  strip -o $root/cmdai.stripped $cmdai
  echo "cmdai stripped: $(wc -c <$root/cmdai.stripped) bytes; unstripped $(wc -c <$cmdai)"
  wc -c "$bin"/libggml-*.so "$llama"/lib/lib*.so.*.*
  echo "== libraries cmdai links (no CUDA expected)"
  ldd $cmdai | grep -Ei 'cuda|cublas|llama|ggml' || true
  echo "== libraries loaded by --version, rate (LD_DEBUG): CUDA ones"
  LD_DEBUG=libs $cmdai --version 2>&1 | grep -c 'calling init: .*\(cuda\|cublas\)' || true
  LD_DEBUG=libs $cmdai rate -- ls 2>&1 | grep -c 'calling init: .*\(cuda\|cublas\)' || true
  echo "== start-up, 20 runs each (ms): median, min, max"
  for what in "--version" "--help" "rate -- ls -la"; do
    # shellcheck disable=SC2086
    walls 20 $cmdai $what | sort -n | awk -v w="$what" '{a[NR]=$1} END{printf "%-16s median %s min %s max %s\n", w, a[int((NR+1)/2)], a[1], a[NR]}'
  done
  m=$root/qwen2.5-1.5b.gguf
  [[ -f $m ]] || $bin/make-test-model qwen2.5-1.5b $m >/dev/null
  echo "model: $m ($(du -h $m | cut -f1))"
  cat $m >/dev/null  # page cache warm, as on a machine in use
  run() { $cmdai -v --device gpu --model $m "$request" 2>$root/last.log; }
  echo "== cold one-shot (no saved prompt state), 1 run"
  t=$(ms_now); run >/dev/null || true; echo "wall $(($(ms_now) - t)) ms"; grep -E 'load|note|GPU' $root/last.log | head -4
  echo "== warm one-shot (prompt state restored), 7 runs"
  for _ in 1 2 3 4 5 6 7; do
    t=$(ms_now); run >/dev/null || true
    echo "wall $(($(ms_now) - t)) ms | $(grep -E '^cmdai: (load|time to)' $root/last.log | tr '\n' ' ')"
  done
  echo "== paired warm one-shots: cmdai, then raw llama.cpp (raw-oneshot) on the same prompt and token counts"
  $bin/oneshot --dump-prompt $root/prompt --request "$request" >/dev/null 2>&1
  $bin/raw-oneshot $m --messages $root/prompt --state $root/raw.state --gen 5 --ngl 99 >/dev/null 2>&1 || true
  for _ in 1 2 3 4 5; do
    t=$(ms_now); run >/dev/null || true; local cw=$(($(ms_now) - t)) gen
    gen=$(sed -nE 's/.*generation ([0-9]+) tokens.*/\1/p' $root/last.log | head -1)
    t=$(ms_now)
    $bin/raw-oneshot $m --messages $root/prompt --state $root/raw.state --gen "${gen:-5}" --ngl 99 --t0 "$t" \
      >$root/raw.log 2>/dev/null || true
    # Both walls from outside, process exit included (raw's own wall_ms ends before its exit).
    echo "cmdai $cw ms | raw $(($(ms_now) - t)) ms | $(tail -1 $root/raw.log)"
  done
  echo "== where the load goes: raw llama.cpp's own log lines, timestamped (ms since start)"
  "$llama/bin/llama-simple" -m $m -n 4 -ngl 99 "hello" 2>&1 >/dev/null |
    python3 -u -c 'import sys,time
t=time.monotonic()
for l in sys.stdin: print("%8.1f %s" % ((time.monotonic()-t)*1000, l.rstrip()[:150]))' |
    grep -E 'ggml_cuda_init|loaded meta|file type|vocab_only|n_vocab|load_tensors: (loading|offloaded|  CUDA0)|llama_context: (constructing|CUDA0 compute)|graph|decoded|load time' | sed -n '1,40p'
  for mode in EAGER LAZY; do
    CUDA_MODULE_LOADING=$mode $bin/oneshot $m --device gpu --requests 1 2>/dev/null | grep -E '^device' | sed "s/^/CUDA_MODULE_LOADING=$mode: /"
  done
  echo "== --device cpu: CUDA libraries initialised in the process (0 expected)"
  LD_DEBUG=libs $cmdai --device cpu --model $m "$request" 2>&1 | grep -c 'calling init: .*\(cuda\|cublas\)' || true
  echo "== missing GPU module: falls back to the CPU with one note"
  mv $bin/libggml-cuda.so $root/libggml-cuda.so.away
  t=$(ms_now); $cmdai -v --model $m "$request" 2>&1 | grep -E 'GPU module|^cmdai: load|^cmdai: embedded' | head -3
  echo "wall $(($(ms_now) - t)) ms"
  mv $root/libggml-cuda.so.away $bin/libggml-cuda.so
  echo "== resident: cmdai serve holds the model; each request a new cmdai process (20 requests)"
  $cmdai serve --device gpu --model $m --idle-timeout 600 2>$root/serve.log &
  local server=$!
  for _ in $(seq 1 300); do [[ -S $XDG_RUNTIME_DIR/cmdai/serve.sock ]] && break; sleep 0.1; done
  $cmdai --model $m "$request" >/dev/null 2>&1 || true  # the server's first request computes the prefix
  walls 20 $cmdai --model $m "$request" | tee $root/resident.txt | median | xargs echo "resident median ms:"
  sort -n $root/resident.txt | sed -n '1p;$p' | xargs echo "  min/max:"
  $cmdai -v --model $m "$request" 2>&1 >/dev/null | grep -E '^cmdai: (load|serve|embedded)' | head -2
  echo "  CUDA libraries in a client's process:"
  LD_DEBUG=libs $cmdai --model $m "$request" 2>&1 | grep -c 'calling init: .*\(cuda\|cublas\)' || true
  echo "== autostart (serve.autostart = auto): on a GPU the first request answers itself and starts cmdai serve"
  kill $server; wait $server 2>/dev/null || true
  rm -f "$XDG_RUNTIME_DIR/cmdai/serve.sock"
  t=$(ms_now); CMDAI_SERVE_AUTOSTART=auto $cmdai -v --device gpu --model $m "$request" 2>$root/auto.log >/dev/null || true
  echo "first request: wall $(($(ms_now) - t)) ms | $(grep -E '^cmdai: (load|time to)' $root/auto.log | tr '\n' ' ')"
  for _ in $(seq 1 300); do [[ -S $XDG_RUNTIME_DIR/cmdai/serve.sock ]] && break; sleep 0.1; done
  $cmdai --model $m "$request" >/dev/null 2>&1 || true
  walls 20 $cmdai --model $m "$request" | median | xargs echo "through the autostarted server, median of 20 (ms):"
  $cmdai -v --model $m "$request" 2>&1 >/dev/null | grep -E '^cmdai: (time to|serve|load)' | head -3
  echo "== a request for another model while the (autostarted) server holds this one"
  cp $m $root/other.gguf
  t=$(ms_now); $cmdai -v --device gpu --model $root/other.gguf "$request" 2>&1 | grep -E '^cmdai|^[a-z]' | head -4; echo "rc=${PIPESTATUS[0]} wall $(($(ms_now) - t)) ms"
  pkill -f 'cmdai serve' || true
  echo "== weight upload paths (bench/oneshot, one process each, 3 runs): load phases ms"
  for mode in auto mmap read direct; do
    for _ in 1 2 3; do
      $bin/oneshot $m --device gpu --load $mode --requests 1 2>/dev/null | grep -E '^device' | sed "s/^/$mode: /"
    done
  done
  echo "== grammar cost: free (32 tokens) and realistic (teacher-forced answer)"
  $bin/oneshot $m --device gpu --requests 3 --grammar-cost --realistic 2>/dev/null | grep -E 'grammar|request=2'
  echo "== raw llama.cpp, same model: llama-simple, one process (load + ~100-token prompt + N tokens)"
  local prompt
  prompt="You turn requests into one bash command for Ubuntu on x86_64. Reply with the command alone in a sh block. Write exactly one command on one line; join steps with pipes or &&. Prefer standard, safe tools and never delete or overwrite more than asked. Working directory: /home/user/project. Request: $request"
  for n in 4 40; do
    for _ in 1 2 3; do
      t=$(ms_now); "$llama/bin/llama-simple" -m $m -n $n -ngl 99 "$prompt" >$root/simple.log 2>&1 || true
      echo "n=$n wall $(($(ms_now) - t)) ms | $(grep -E 'decoded|prompt eval' $root/simple.log | tr '\n' ' ' | tr -s ' ')"
    done
  done
}

case "${1:-}" in
  --fetch) fetch "$2" ;;
  build) build "$2" ;;
  measure) measure "$2" ;;
  *) sed -n '3,19p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
