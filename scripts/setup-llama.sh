#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Obtains the pinned llama.cpp (v0.5.0, shipped as a git bundle inside the npm
# package node-llama-cpp@3.22.1), verifies it, applies cmdai's patches
# (scripts/llama-patches/), builds it once per version, patch set and option
# set into a cache outside the checkout, and prints the install prefix.
#
# Usage: scripts/setup-llama.sh [--cuda] [--vulkan] [--metal|--no-metal] [--tools]
#   --tools   also build llama-bench and llama-server (needed by bench/ and the
#             OpenAI-compatible backend tests; ~20 min on 2 cores)
# Environment:
#   CMDAI_CACHE_DIR   cache root (default: ${XDG_CACHE_HOME:-$HOME/.cache}/cmdai)
#   CMDAI_JOBS        parallel build jobs (default: the CPU count)
#   CMDAI_CUDA_ARCHITECTURES  CUDA architectures to build for (default: llama.cpp's list)
# GPU builds (--cuda, --vulkan) keep ggml's backends in modules
# (GGML_BACKEND_DL: bin/libggml-cuda.so, bin/libggml-cpu-<variant>.so beside
# shared libllama/libggml), which cmdai loads only when it opens a model; the
# CPU-only and Metal builds stay static.
# The last line of stdout is the install prefix; progress goes to stderr.
set -euo pipefail

readonly LLAMA_TAG="v0.5.0"
readonly NPM_PKG="node-llama-cpp@3.22.1"
# npm's published integrity for the tarball, and the bundle's own digest.
readonly NPM_INTEGRITY="sha512-bltIipuWmc123H7tMIgDGKSsSrhmhlQYeVUC48XTjVW7XGJJiJJyCdlTMzQ/LiWoPkGDpcL4FviDpgw7qfTiDw=="
readonly BUNDLE_SHA256="5f5d1105d5df040738d87b8290e5d17e7362131cdcfdb0831618e0ea528b4a51"
readonly BUNDLE_COMMIT="de3ff815ea7d559ee917f063901b8986f038abc6"

# shellcheck source=scripts/lib/portable.sh
source "$(dirname "$0")/lib/portable.sh"

log() { echo "setup-llama: $*" >&2; }
die() { echo "setup-llama: error: $*" >&2; exit 1; }

cuda=OFF vulkan=OFF tools=0
if [[ "$(uname -s)" == Darwin ]]; then metal=ON; else metal=OFF; fi
for arg in "$@"; do
  case "$arg" in
    --cuda) cuda=ON ;;
    --vulkan) vulkan=ON ;;
    --metal) metal=ON ;;
    --no-metal) metal=OFF ;;
    --tools) tools=1 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$arg'; see --help" ;;
  esac
done

cache="${CMDAI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cmdai}/llama.cpp"
jobs="${CMDAI_JOBS:-$(cpu_count)}"
src="$cache/src-$LLAMA_TAG"
mkdir -p "$cache"

# One process at a time per cache: a second waits instead of racing.
lock_until_exit "$cache/.lock" || die "cannot lock $cache/.lock"

fetch_source() {
  [[ -f "$src/.cmdai-verified" ]] && return 0
  command -v npm >/dev/null || die "npm is needed to fetch $NPM_PKG; install nodejs and npm"
  local tmp; tmp="$(mktemp -d "$cache/fetch.XXXXXX")"
  log "fetching $NPM_PKG from the npm registry"
  (cd "$tmp" && npm pack --silent "$NPM_PKG" >/dev/null) || die "npm pack $NPM_PKG failed; check access to the npm registry"
  local tgz="$tmp/node-llama-cpp-3.22.1.tgz" digest got
  # Assigned apart from `local`, which would hide a failing pipeline (and then
  # report a false mismatch instead of the missing tool).
  digest=$(openssl dgst -sha512 -binary "$tgz" | base64_line) || die "cannot compute the sha512 of $tgz; is openssl installed?"
  got="sha512-$digest"
  [[ "$got" == "$NPM_INTEGRITY" ]] || die "tarball integrity mismatch ($got); refusing to build"
  tar -xzf "$tgz" -C "$tmp" package/llama/gitRelease.bundle
  local bundle="$tmp/package/llama/gitRelease.bundle"
  digest=$(sha256_hex "$bundle") || die "cannot compute the sha256 of $bundle"
  [[ "$digest" == "$BUNDLE_SHA256" ]] || die "bundle checksum mismatch ($digest); refusing to build"
  rm -rf "$src.tmp"
  git clone --quiet "$bundle" "$src.tmp" 2>/dev/null || die "cannot clone the llama.cpp bundle; is git installed?"
  [[ "$(git -C "$src.tmp" rev-parse HEAD)" == "$BUNDLE_COMMIT" ]] || die "bundle HEAD is not $BUNDLE_COMMIT"
  touch "$src.tmp/.cmdai-verified"
  rm -rf "$src" && mv "$src.tmp" "$src"
  rm -rf "$tmp"
  log "llama.cpp $LLAMA_TAG verified at $src"
}

fetch_source

# cmdai's own changes to llama.cpp: one patch per change, each saying why
# (scripts/llama-patches/*.patch), applied in name order to the verified
# source and part of the build's key, so a changed set builds anew.
shopt -s nullglob
patches=("$(cd "$(dirname "$0")" && pwd)"/llama-patches/*.patch)
shopt -u nullglob
patch_hash=none
((${#patches[@]} == 0)) || { patch_hash=$(cat "${patches[@]}" | sha256_hex) || die "cannot hash the patches"; }

apply_patches() {
  local mark="$src/.cmdai-patches" p
  [[ -f "$mark" && "$(cat "$mark")" == "$patch_hash" ]] && return 0
  if [[ -f "$mark" ]]; then # another set was applied: back to the verified source first
    if [[ ! -d "$src/.git" ]] || ! git -C "$src" checkout -q -- .; then
      die "$src holds another set of patches; delete that folder and run again"
    fi
  fi
  for p in ${patches[@]+"${patches[@]}"}; do
    if (cd "$src" && git apply --check "$p" 2>/dev/null); then
      (cd "$src" && git apply "$p") || die "cannot apply $(basename "$p") in $src"
    elif ! (cd "$src" && git apply --reverse --check "$p" 2>/dev/null); then # not applied already either
      die "$(basename "$p") does not apply to llama.cpp $LLAMA_TAG in $src; delete that folder and run again"
    fi
  done
  echo "$patch_hash" >"$mark"
  log "applied ${#patches[@]} patch(es) to llama.cpp $LLAMA_TAG"
}
apply_patches

opts="cuda=$cuda vulkan=$vulkan metal=$metal arch=$(uname -m) patches=${patch_hash:0:12}"
# GGML_NATIVE cannot be combined with modules: the CPU backend comes in every
# variant and ggml picks the best for the processor at load.
link=(-DBUILD_SHARED_LIBS=OFF)
if [[ "$cuda" == ON || "$vulkan" == ON ]]; then
  link=(-DBUILD_SHARED_LIBS=ON -DGGML_BACKEND_DL=ON -DGGML_CPU_ALL_VARIANTS=ON -DGGML_NATIVE=OFF)
  opts+=" modules=on"
  if [[ -n "${CMDAI_CUDA_ARCHITECTURES:-}" ]]; then
    link+=("-DCMAKE_CUDA_ARCHITECTURES=$CMDAI_CUDA_ARCHITECTURES")
    opts+=" cuda_arch=$CMDAI_CUDA_ARCHITECTURES"
  fi
fi
key_hash=$(echo "$opts" | sha256_hex) || die "cannot hash the build options"
key="$LLAMA_TAG-${key_hash:0:12}"
prefix="$cache/$key"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
build="$cache/build-$key"

if [[ ! -f "$prefix/.cmdai-complete" ]]; then
  log "building llama.cpp $LLAMA_TAG ($opts) with $jobs jobs; this happens once"
  cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release ${launcher[@]+"${launcher[@]}"} \
    "${link[@]}" -DLLAMA_BUILD_COMMON=OFF -DLLAMA_BUILD_TESTS=OFF \
    -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF \
    -DLLAMA_BUILD_APP=OFF -DLLAMA_OPENSSL=OFF \
    -DGGML_CUDA="$cuda" -DGGML_VULKAN="$vulkan" -DGGML_METAL="$metal" \
    -DCMAKE_INSTALL_PREFIX="$prefix" >"$cache/configure-$key.log" 2>&1 \
    || die "configure failed; see $cache/configure-$key.log"
  cmake --build "$build" -j "$jobs" >"$cache/build-$key.log" 2>&1 || die "build failed; see $cache/build-$key.log"
  cmake --install "$build" >/dev/null
  cp "$src/models/ggml-vocab-qwen2.gguf" "$src/models/templates/Qwen-Qwen2.5-7B-Instruct.jinja" "$prefix/"
  echo "$opts" >"$prefix/.cmdai-complete"
fi

if [[ "$tools" == 1 && ! -x "$prefix/bin/llama-server" ]]; then
  tbuild="$cache/tools-$key"
  log "building llama-bench and llama-server ($opts); this happens once (~20 min on 2 cores)"
  cmake -S "$src" -B "$tbuild" -DCMAKE_BUILD_TYPE=Release ${launcher[@]+"${launcher[@]}"} \
    -DBUILD_SHARED_LIBS=OFF -DLLAMA_BUILD_COMMON=ON -DLLAMA_BUILD_TESTS=OFF \
    -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=ON \
    -DLLAMA_BUILD_APP=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_UI=OFF \
    -DGGML_CUDA="$cuda" -DGGML_VULKAN="$vulkan" -DGGML_METAL="$metal" \
    >"$cache/configure-tools-$key.log" 2>&1 || die "configure failed; see $cache/configure-tools-$key.log"
  cmake --build "$tbuild" -j "$jobs" --target llama-bench llama-server \
    >"$cache/build-tools-$key.log" 2>&1 || die "tools build failed; see $cache/build-tools-$key.log"
  mkdir -p "$prefix/bin"
  cp "$tbuild/bin/llama-bench" "$tbuild/bin/llama-server" "$prefix/bin/"
fi

echo "$prefix"
