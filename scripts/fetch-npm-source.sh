#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fetches a pinned npm package that ships C sources Debian lacks (tree-sitter,
# tree-sitter-bash), verifies npm's sha512 integrity, unpacks it once into the
# cache, and prints the unpacked package directory.
#
# Usage: scripts/fetch-npm-source.sh NAME VERSION SHA512-INTEGRITY
set -euo pipefail
# shellcheck source=scripts/lib/portable.sh
source "$(dirname "$0")/lib/portable.sh"
(($# == 3)) || { echo "usage: $0 NAME VERSION INTEGRITY" >&2; exit 2; }
name="$1" version="$2" integrity="$3"
cache="${CMDAI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cmdai}/npm"
dest="$cache/$name-$version"
mkdir -p "$cache"
lock_until_exit "$cache/.lock" || { echo "fetch: cannot lock $cache/.lock" >&2; exit 1; }
if [[ ! -f "$dest/.cmdai-verified" ]]; then
  command -v npm >/dev/null || { echo "fetch: npm is needed to fetch $name@$version" >&2; exit 1; }
  tmp="$(mktemp -d "$cache/fetch.XXXXXX")"
  at_exit "rm -rf '$tmp'"
  (cd "$tmp" && npm pack --silent "$name@$version" >/dev/null) || { echo "fetch: npm pack $name@$version failed" >&2; exit 1; }
  tgz=("$tmp"/*.tgz)
  digest=$(openssl dgst -sha512 -binary "${tgz[0]}" | base64_line) || { echo "fetch: openssl is needed" >&2; exit 1; }
  got="sha512-$digest"
  [[ "$got" == "$integrity" ]] || { echo "fetch: $name@$version integrity mismatch; refusing to use it" >&2; exit 1; }
  mkdir "$tmp/x" && tar -xzf "${tgz[0]}" -C "$tmp/x"
  touch "$tmp/x/package/.cmdai-verified"
  rm -rf "$dest" && mv "$tmp/x/package" "$dest"
fi
echo "$dest"
