#!/usr/bin/env bash
# Rehearses the device run on this machine's CPU, so that device minutes go to GPU work: what the
# device tool sends (the tracked and untracked-but-not-ignored files, plus .carry/) is copied into
# a clean folder, and gpu-check.sh runs there with no node, npm or npx on PATH and, where
# `unshare -n` works, no network.
#   test/device/rehearse.sh [folder]      (default /tmp/skythought-rehearsal, kept between runs
#                                          like the device's warm machine keeps its build)
# Its results are in <folder>/.gpu-check/out. Step limits are scaled by 8 (a two-core CPU
# compiles llama.cpp in minutes, not seconds) unless GPU_CHECK_LIMIT_SCALE says otherwise.
set -euo pipefail
cd "$(dirname "$0")/../.."
DIR=${1:-/tmp/skythought-rehearsal}
[ -f .carry/manifest.txt ] || { echo "rehearse: no .carry/; run test/device/make-carry.sh first" >&2; exit 1; }

mkdir -p "$DIR"
git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -xf - -C "$DIR"
rm -rf "$DIR/.carry" && cp -r .carry "$DIR/.carry"

# Every command of the usual PATH except Node's.
BIN=$DIR.bin
rm -rf "$BIN" && mkdir -p "$BIN"
for d in /usr/local/bin /usr/bin /bin; do
  for f in "$d"/*; do [ -e "$BIN/${f##*/}" ] || ln -s "$f" "$BIN/"; done
done
rm -f "$BIN"/{node,nodejs,npm,npx,corepack}

isolate=(unshare -n)
"${isolate[@]}" true 2>/dev/null || { echo "rehearse: unshare -n is not permitted here; running with the network" >&2; isolate=(); }
cd "$DIR"
"${isolate[@]}" env -i HOME="$HOME" PATH="$BIN" CCACHE_DISABLE=1 \
  GPU_CHECK_BUDGET_S="${GPU_CHECK_BUDGET_S:-7200}" GPU_CHECK_LIMIT_SCALE="${GPU_CHECK_LIMIT_SCALE:-8}" \
  ${GPU_CHECK_ONLY:+GPU_CHECK_ONLY="$GPU_CHECK_ONLY"} bash test/device/gpu-check.sh
