#!/usr/bin/env bash
# Packs what test/device/gpu-check.sh needs on a CUDA machine that has no Node.js and no network
# (the device tool's H200 has nvcc, cmake, ninja and python3; 64 MiB may travel with the
# working tree) into .carry/, which is git-ignored:
#   node.xz           the node binary running this script, stripped (Node 20.19+, x86-64 glibc)
#   app.tar.xz        dist/ and the production node_modules of the engine path and of the
#                     from-source build (cmake-js with node-api-headers: no header download);
#                     node-llama-cpp's prebuilt binaries and source bundle, TypeScript, type
#                     declarations, source maps and Markdown are left out
#   llama-src.tar.xz  the llama.cpp source node-llama-cpp pins: what the cmake build reads (CPU
#                     and CUDA backends, common/, tools/, vendor/) and the qwen2 vocab the model
#                     writer copies; the other GPU backends, docs, tests and models are left out
#   manifest.txt      what was packed, from which commit, and the sizes
# Run after `npm ci && npm run build`; gpu-check.sh unpacks it into .gpu-check/.
set -euo pipefail
cd "$(dirname "$0")/../.."

CARRY=.carry
# The tool's 64 MiB counts the tracked tree too (under 2 MiB).
LIMIT_BYTES=$(( ${CARRY_LIMIT_MIB:-60} * 1024 * 1024 ))
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT

fail() { echo "make-carry: $*" >&2; exit 1; }

check_inputs() {
  [ -f dist/cli/main.js ] || fail "dist/ is missing; run npm run build"
  [ -d node_modules/cmake-js ] || fail "node_modules/ is missing; run npm ci"
  command -v xz >/dev/null || fail "xz is missing (apt-get install xz-utils)"
  [ "$(uname -m)" = x86_64 ] || fail "the device is x86-64; pack on an x86-64 machine (this is $(uname -m))"
}

pack_node() {
  strip -o "$STAGE/node" "$(command -v node)"
  xz -9 -T0 -c "$STAGE/node" >"$CARRY/node.xz"
}

# The packages `npm ls` counts as production dependencies, minus those the engine path never
# loads: prebuilt llama.cpp libraries (the device builds its own) and TypeScript.
production_packages() {
  npm ls --omit=dev --all --parseable | tail -n +2 | sed "s|^$PWD/||" |
    grep -v -e '^node_modules/@node-llama-cpp/' -e '^node_modules/typescript$'
}

pack_app() {
  production_packages >"$STAGE/packages"
  tar -cf - --exclude='*.map' --exclude='*.d.ts' --exclude='*.d.mts' --exclude='*.d.cts' --exclude='*.md' \
    --exclude='node_modules/node-llama-cpp/llama/gitRelease.bundle' \
    --exclude='node_modules/node-llama-cpp/bins' \
    dist -T "$STAGE/packages" | xz -9 -T0 >"$CARRY/app.tar.xz"
}

pack_llama_source() {
  local src release
  src=$(node native/build/llama-source.mjs)
  release=$(basename "$(dirname "$src")")
  local skip=()
  for backend in blas cann et hexagon hip metal musa opencl openvino rpc sycl virtgpu vulkan webgpu zdnn zendnn; do
    skip+=(--exclude="$release/src/ggml/src/ggml-$backend")
  done
  # .git/HEAD alone: run.json records the llama.cpp commit from it (engineVersions).
  tar -cf - -C "$(dirname "$(dirname "$src")")" "${skip[@]}" \
    --exclude="$release/src/tools/ui/src" --exclude="$release/src/tools/ui/tests" \
    --exclude="$release/src/tools/mtmd/test-*" \
    "$release/src/CMakeLists.txt" "$release/src/LICENSE" "$release/src/licenses" "$release/src/cmake" \
    "$release/src/include" "$release/src/src" "$release/src/ggml" "$release/src/common" \
    "$release/src/vendor" "$release/src/tools" "$release/src/models/ggml-vocab-qwen2.gguf" \
    "$release/src/.git/HEAD" | xz -9 -T0 >"$CARRY/llama-src.tar.xz"
  echo "$release"
}

write_manifest() {
  local release=$1 total
  total=$(cat "$CARRY"/*.xz | wc -c)
  {
    echo "commit $(git rev-parse --short=12 HEAD)$(git diff --quiet HEAD -- src native test || echo ' (with uncommitted changes)')"
    echo "packed $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -m)"
    echo "node $(node --version)"
    echo "llama.cpp $release"
    for f in "$CARRY"/*.xz; do echo "$(basename "$f") $(wc -c <"$f") $(sha256sum "$f" | cut -c1-16)"; done
    echo "total $total"
  } >"$CARRY/manifest.txt"
  cat "$CARRY/manifest.txt"
  [ "$total" -le "$LIMIT_BYTES" ] || fail "$total bytes is over the ${LIMIT_BYTES}-byte limit (CARRY_LIMIT_MIB)"
}

check_inputs
rm -rf "$CARRY"
mkdir -p "$CARRY"
pack_node
pack_app
release=$(pack_llama_source)
write_manifest "$release"
