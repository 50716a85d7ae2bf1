#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# GPU figures for docs/performance.md, on a CUDA machine with no network:
# builds the pinned llama.cpp with CUDA from a carried git bundle, builds
# cmdai's request path (bench/oneshot.cc) and make-test-model with g++, makes
# the 1.5B-shaped model, and measures llama-bench beside cmdai: cold one-shot,
# warm one-shot (prompt-state cache) and resident requests.
#
# Usage: bench/gpu-bench.sh BUNDLE [OUTDIR]   (BUNDLE: node-llama-cpp's llama/gitRelease.bundle)
set -euo pipefail
cd "$(dirname "$0")/.."
bundle="$1" out="${2:-/tmp/gpu-bench}" jobs="$(nproc)"
mkdir -p "$out"
exec > >(tee "$out/log.txt") 2>&1
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
if [[ ! -x /tmp/lb/bin/llama-bench ]]; then  # built once per machine
rm -rf /tmp/llama && git clone -q "$bundle" /tmp/llama
t0=$(date +%s)
cmake -S /tmp/llama -B /tmp/lb -G Ninja -DCMAKE_BUILD_TYPE=Release -DGGML_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES=90 \
  -DGGML_NATIVE=ON -DBUILD_SHARED_LIBS=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF \
  -DLLAMA_BUILD_APP=OFF -DLLAMA_OPENSSL=OFF >/dev/null
cmake --build /tmp/lb -j "$jobs" --target llama ggml llama-bench >/dev/null
echo "llama.cpp CUDA build: $(( $(date +%s) - t0 )) s"
fi
libs=()
while IFS= read -r lib; do libs+=("$lib"); done < <(find /tmp/lb -name 'libllama.a' -o -name 'libggml*.a' | sort -r)
cuda=(-L/usr/local/cuda/lib64 -L/usr/local/cuda/lib64/stubs -lcudart -lcublas -lcublasLt -lcuda)
# ggml-cuda links NCCL when CMake found it (multi-GPU reductions).
if grep -q NCCL /tmp/lb/CMakeCache.txt 2>/dev/null && ldconfig -p | grep -q libnccl; then cuda+=(-lnccl); fi
nccl_dir=$(dirname "$(find / -name 'libnccl.so*' 2>/dev/null | head -1)" 2>/dev/null || true)
[[ -n "$nccl_dir" && "$nccl_dir" != . ]] && cuda+=("-L$nccl_dir" -lnccl)
inc=(-Isrc -I/tmp/llama/include -I/tmp/llama/ggml/include)
g++ -O2 -std=c++20 "${inc[@]}" bench/oneshot.cc src/backends/embedded_backend.cc src/prompt/prompt.cc \
  src/context/context.cc src/extract/extractor.cc src/common/interrupt.cc src/common/posix.cc src/common/suggest.cc \
  src/cli/pipeline.cc -o /tmp/oneshot -Wl,--start-group "${libs[@]}" -Wl,--end-group "${cuda[@]}" -lgomp -lpthread -ldl
g++ -O2 -std=c++20 "${inc[@]}" -DCMDAI_TEST_VOCAB='"/tmp/llama/models/ggml-vocab-qwen2.gguf"' \
  -DCMDAI_TEST_TEMPLATE='"/tmp/llama/models/templates/Qwen-Qwen2.5-7B-Instruct.jinja"' tools/make_test_model.cc \
  -o /tmp/mtm -Wl,--start-group "${libs[@]}" -Wl,--end-group "${cuda[@]}" -lgomp -lpthread -ldl
/tmp/mtm qwen2.5-1.5b /tmp/m.gguf
echo "== llama-bench (same model, all layers on the GPU)"
/tmp/lb/bin/llama-bench -m /tmp/m.gguf -ngl 99 -p 100 -n 32 -r 5
echo "== cmdai cold one-shot (no prompt cache), 3 runs: process wall time"
for _ in 1 2 3; do s=$(date +%s%N); /tmp/oneshot /tmp/m.gguf --device gpu | tail -3; echo "wall_ms=$(( ($(date +%s%N) - s) / 1000000 ))"; done
echo "== cmdai warm one-shot (prompt-state cache), 1 priming + 5 runs"
rm -rf /tmp/pc; /tmp/oneshot /tmp/m.gguf --device gpu --cache /tmp/pc >/dev/null
for _ in 1 2 3 4 5; do s=$(date +%s%N); /tmp/oneshot /tmp/m.gguf --device gpu --cache /tmp/pc | tail -2; echo "wall_ms=$(( ($(date +%s%N) - s) / 1000000 ))"; done
echo "== cmdai resident (model loaded once), 20 requests"
/tmp/oneshot /tmp/m.gguf --device gpu --cache /tmp/pc --requests 20
echo "== grammar cost: ms per generated token with and without the answer grammar"
/tmp/oneshot /tmp/m.gguf --device gpu --requests 0 --grammar-cost
