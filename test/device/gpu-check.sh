#!/usr/bin/env bash
# The GPU check (issue 15) in one call: builds the CUDA addon from source for this GPU, writes
# random-weight test models with the project's GGUF writer, then checks correctness (evaluate
# over KV types and flash attention, GPU vs CPU greedy, batch invariance) and measures throughput
# against llama-batched-bench from the same build. Every step has a time limit, and the whole run
# a budget, so it always ends with its results written.
#
#   bash test/device/gpu-check.sh
#
# Results in $OUT (default .gpu-check/out): results.md (one row per step, then tables),
# results.json, log.txt (every step's output). Work files (node, llama.cpp source and build tree,
# models) stay in .gpu-check/, so a second run reuses the build and the models.
# Set-up: with .carry/ present (test/device/make-carry.sh) and no node on PATH (or
# GPU_CHECK_USE_CARRY=1), node, dist/, node_modules/ and the llama.cpp source come from there
# (no network needed); otherwise the checkout's own, after `npm ci` and `npm run build` when missing.
# Without a GPU, each GPU step says "no GPU" and rehearses its plumbing on the CPU with a small
# model and small shapes, so the script runs end to end anywhere.
# Environment: GPU_CHECK_BUDGET_S (default 540), CUDA_ARCH (default from the GPU's compute
# capability: 90a-real on an H100/H200), GPU_CHECK_JOBS (build jobs, default cores - 2),
# GPU_CHECK_ONLY (space-separated steps to run after set-up, build and models, e.g.
# "throughput"), GPU_CHECK_LIMIT_SCALE (multiplies every step's limit; rehearse.sh uses 8).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE=$ROOT/test/device
WORK=${GPU_CHECK_WORK:-$ROOT/.gpu-check}
OUT=${OUT:-$WORK/out}
BUDGET_S=${GPU_CHECK_BUDGET_S:-540}
JOBS=${GPU_CHECK_JOBS:-$(( $(nproc) > 3 ? $(nproc) - 2 : 2 ))}
MODELS=$WORK/models
export SKYTHOUGHT_CACHE=${SKYTHOUGHT_CACHE:-$WORK/cache}
# Decided once, before the carried node joins PATH: the carry when there is one and no node.
if [ -z "${GPU_CHECK_USE_CARRY+set}" ]; then
  GPU_CHECK_USE_CARRY=$([ -f "$ROOT/.carry/manifest.txt" ] && ! command -v node >/dev/null && echo 1)
fi
export GPU_CHECK_USE_CARRY
[ -x "$WORK/node/bin/node" ] && PATH=$WORK/node/bin:$PATH

# ---- helpers shared by the steps ------------------------------------------------------------

summary() { echo "$*" >"$STEP_DIR/summary.txt"; echo "$*"; }
no_gpu() { summary "no GPU ($NO_GPU_WHY): $*"; exit 3; }
has_gpu() { nvidia-smi -L 2>/dev/null | grep -q '^GPU '; }
json_field() { node -e 'const v = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(eval("v." + process.argv[1]))' "$1"; }

# The model the GPU steps use, or the small one when rehearsing on the CPU.
main_model() { if [ -n "$HAS_GPU" ]; then echo "$MODELS/qwen2-1.5b-f16.gguf"; else echo "$MODELS/bench-180m.gguf"; fi; }

# nvcc on PATH, and the libraries ggml-cuda links (cuBLAS, the driver's libcuda) where cmake,
# the linker and the loader find them. A full toolkit has them in place; an image built from
# pip's CUDA packages keeps cuBLAS under site-packages/nvidia/ and a container may mount only
# libcuda.so.1, without the unversioned names find_library looks for: $WORK/cuda-links adds them.
cuda_env() {
  if ! command -v nvcc >/dev/null; then
    for d in /usr/local/cuda/bin /usr/local/cuda-*/bin; do [ -x "$d/nvcc" ] && PATH=$d:$PATH && break; done
  fi
  command -v nvcc >/dev/null || return 0
  local toolkit pip
  toolkit=$(dirname "$(dirname "$(readlink -f "$(command -v nvcc)")")")
  pip=$(python3 -c 'import nvidia; print(*nvidia.__path__)' 2>/dev/null)
  link_library cublas CUBLAS_LIB "$toolkit" $pip
  link_library cublasLt CUBLASLT_LIB "$toolkit" $pip
  link_library cuda CUDA_DRIVER_LIB /usr/local/nvidia /usr/lib/x86_64-linux-gnu /usr/lib64 "$toolkit"
  # shellcheck disable=SC2086
  CUBLAS_HEADER=$(find "$toolkit" $pip /usr/include -maxdepth 4 -name cublas_v2.h 2>/dev/null | head -1)
  export CUBLAS_LIB CUBLASLT_LIB CUBLAS_HEADER CUDA_DRIVER_LIB
  case $CUBLAS_HEADER in "" | "$toolkit"/*) ;; *) export CPATH=$(dirname "$CUBLAS_HEADER")${CPATH:+:$CPATH} ;; esac
  [ -d "$WORK/cuda-links" ] && export CMAKE_LIBRARY_PATH=$WORK/cuda-links
  return 0
}

# link_library NAME VAR DIR...: sets VAR to the first libNAME.so* under the dirs (a real library
# before a toolkit's link-time stub); links libNAME.so to it in $WORK/cuda-links when its folder
# lacks that name (cmake searches CMAKE_LIBRARY_PATH before the toolkit, so only these names);
# puts a folder outside the system's on LD_LIBRARY_PATH (never a stubs/ folder: a stub libcuda
# fails at run time).
link_library() {
  local name=$1 var=$2 found lib dir
  shift 2
  found=$(find "$@" -maxdepth 5 -name "lib$name.so*" 2>/dev/null | sort)
  lib=$(grep -v /stubs/ <<<"$found" | head -1)
  [ -n "$lib" ] || lib=$(head -1 <<<"$found")
  printf -v "$var" %s "$lib"
  [ -n "$lib" ] || return 0
  dir=$(dirname "$lib")
  if [ ! -e "$dir/lib$name.so" ]; then
    mkdir -p "$WORK/cuda-links"
    ln -sf "$lib" "$WORK/cuda-links/lib$name.so"
  fi
  case $dir:${LD_LIBRARY_PATH:-} in /usr/lib/x86_64-linux-gnu:* | /usr/lib64:* | */stubs:* | "$dir":*"$dir"*) ;;
    *) export LD_LIBRARY_PATH=$dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} ;;
  esac
}

# CMAKE_CUDA_ARCHITECTURES for the GPU: compute capability 9.0 -> 90a-real (Hopper's wgmma and
# TMA need the "a" target), 10.0 -> 100a-real, others plain.
cuda_arch() {
  local cc
  cc=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader | head -1 | tr -d ' .')
  case $cc in 90 | 100) echo "${cc}a-real" ;; *) echo "${cc}-real" ;; esac
}

# ---- steps: each runs in its own process (bash gpu-check.sh --step NAME) --------------------
# Exit 0 ok, 3 no GPU (rehearsed on the CPU or nothing to do), 4 skipped, anything else failed.

step_setup() {
  if [ -n "$GPU_CHECK_USE_CARRY" ]; then
    unpack_carry
  else
    [ -d "$ROOT/node_modules" ] || (cd "$ROOT" && npm ci --no-audit --no-fund) || return 1
    [ -f "$ROOT/dist/cli/main.js" ] || (cd "$ROOT" && npm run build) || return 1
    summary "node $(node --version), the checkout's node_modules and dist/"
  fi
  node "$HERE/write-model.mjs" "$MODELS" bench-180m >/dev/null
}

unpack_carry() {
  local stamp=$WORK/carry.stamp
  if cmp -s "$ROOT/.carry/manifest.txt" "$stamp" && [ -x "$WORK/node/bin/node" ]; then
    summary "node $(node --version), app and llama.cpp source from .carry/ (unpacked by an earlier run)"
    return
  fi
  mkdir -p "$WORK/node/bin" "$SKYTHOUGHT_CACHE/llama.cpp"
  unxz_cat "$ROOT/.carry/node.xz" >"$WORK/node/bin/node" && chmod +x "$WORK/node/bin/node" || return 1
  PATH=$WORK/node/bin:$PATH
  unxz_cat "$ROOT/.carry/app.tar.xz" | tar -x -C "$ROOT" || return 1
  unxz_cat "$ROOT/.carry/llama-src.tar.xz" | tar -x -C "$SKYTHOUGHT_CACHE/llama.cpp" || return 1
  cp "$ROOT/.carry/manifest.txt" "$stamp"
  summary "node $(node --version), app and llama.cpp source unpacked from .carry/ ($(sed -n 's/^commit //p' "$stamp"))"
}

# xz where it is installed, else Python's lzma module.
unxz_cat() {
  if command -v xz >/dev/null; then xz -dc "$1"; else python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), sys.stdout.buffer)' "$1"; fi
}

step_gpu_info() {
  has_gpu || no_gpu "nvcc: $(command -v nvcc || echo none)"
  local q
  q=$(nvidia-smi --query-gpu=name,memory.total,memory.free,compute_cap,driver_version --format=csv,noheader | head -1)
  nvidia-smi
  nvcc --version
  summary "$q; arch ${CUDA_ARCH:-$(cuda_arch)}; nvcc $(nvcc --version | sed -n 's/.*release \([0-9.]*\).*/\1/p'); cuBLAS ${CUBLAS_LIB:-not found} (${CUBLAS_HEADER:-no cublas_v2.h}); libcuda ${CUDA_DRIVER_LIB:-not found}"
}

# The prebuilt addon (node-llama-cpp's CUDA libraries, what `npm install` gives) on the GPU.
step_prebuilt_cuda() {
  [ -d "$ROOT/node_modules/@node-llama-cpp/linux-x64-cuda" ] ||
    { summary "skipped: @node-llama-cpp/linux-x64-cuda is not installed (the carry leaves its 181 MB out; npm ci on a CUDA machine installs it)"; exit 4; }
  SKYTHOUGHT_ADDON=prebuilt node "$HERE/engine-probe.mjs" smoke --model "$MODELS/bench-180m.gguf" --gpu cuda >"$STEP_DIR/details.json" || return 1
  report_device "prebuilt CUDA addon"
}

# Summary of an engine-probe smoke run: the devices, and llama.cpp's own line naming the GPU.
report_device() {
  local gpu devices line
  gpu=$(json_field gpu.gpu <"$STEP_DIR/details.json")
  devices=$(json_field 'gpu.devices.join(", ")' <"$STEP_DIR/details.json")
  line=$(grep -m1 -E 'Device 0:|found [0-9]+ CUDA devices' "$STEP_DIR/log" 2>/dev/null || true)
  [ "$gpu" = true ] || no_gpu "$1 ran on $devices: $(json_field 'logs.join("; ")' <"$STEP_DIR/details.json")"
  summary "$1 on $devices; llama.cpp: ${line:-no device line}"
}

step_build() {
  local started=$SECONDS args=(--from-source --tool llama-batched-bench --jobs "$JOBS")
  [ -n "$HAS_GPU" ] && command -v nvcc >/dev/null && args+=(--cuda --cuda-arch "${CUDA_ARCH:-$(cuda_arch)}")
  node "$ROOT/native/build/build-native.mjs" "${args[@]}" || return 1
  local size
  size=$(( $(stat -c %s "$ROOT/native/from-source/skythought.node") / 1048576 ))
  [ -n "$HAS_GPU" ] || no_gpu "built the CPU addon and llama-batched-bench from source instead ($((SECONDS - started)) s, ${size} MiB)"
  [[ " ${args[*]} " == *" --cuda "* ]] || { summary "a GPU but no nvcc: built for the CPU only"; return 1; }
  summary "CUDA addon and llama-batched-bench built from source for ${CUDA_ARCH:-$(cuda_arch)} in $((SECONDS - started)) s (${size} MiB addon, $JOBS jobs)"
}

# The 1.5B models must be written; the 8B one only if its writer finishes within its share.
step_models() {
  local names=(qwen2-1.5b-f16 qwen2-1.5b-q8_0 llama-8b-f16) pids=() limit=$(( ${STEP_LIMIT:-300} - 5 ))
  [ -n "$HAS_GPU" ] || no_gpu "only bench-180m is written (in set-up); the 1.5B and 8B ones are for a GPU"
  for n in "${names[@]}"; do
    timeout "$limit" node "$HERE/write-model.mjs" "$MODELS" "$n" >"$STEP_DIR/$n.json" &
    pids+=($!)
  done
  local written=() missing=()
  for i in "${!names[@]}"; do
    if wait "${pids[$i]}"; then written+=("${names[$i]} ($(json_field 'seconds.toFixed(0)' <"$STEP_DIR/${names[$i]}.json") s)"); else missing+=("${names[$i]}"); fi
  done
  summary "written: ${written[*]:-none}${missing:+; not written within $limit s: ${missing[*]}}"
  [ -f "$MODELS/qwen2-1.5b-f16.gguf" ] && [ -f "$MODELS/qwen2-1.5b-q8_0.gguf" ]
}

# The from-source addon on the GPU, with the 1.5B model.
step_smoke() {
  node "$HERE/engine-probe.mjs" smoke --model "$(main_model)" --gpu cuda >"$STEP_DIR/details.json" || return 1
  report_device "from-source addon"
}

# evaluate on MATH-500 rows for every KV type with flash attention off and on (q8_0 KV without
# flash attention must be refused), greedy; texts compared with the first run's.
step_evaluate() {
  local rows=$HERE/math500-rows.jsonl max_tokens=256 runs=()
  mkdir -p "$STEP_DIR/runs"
  if [ -z "$HAS_GPU" ]; then head -2 "$rows" >"$STEP_DIR/rows.jsonl"; rows=$STEP_DIR/rows.jsonl; max_tokens=24; fi
  for kv in f32 f16 bf16 q8_0; do
    for fa in off on; do
      local dir=$STEP_DIR/runs/$kv-fa-$fa
      local label="kv $kv, fa $fa"
      [ "$kv-$fa" = q8_0-off ] && label="!$label"
      if node "$ROOT/dist/cli/main.js" evaluate --task math500 --data-file "$rows" --model "$(main_model)" --quiet --overwrite \
        --backend-args "gpu=cuda,kv_type=$kv,flash_attn=$fa,max_sequences=8,n_ctx=8192" \
        --sampling-params "temperature=0,max_tokens=$max_tokens" --result-dir "$dir" 2>"$dir.txt"; then
        runs+=("$label=$dir")
      else
        runs+=("$label=$dir.txt")
      fi
      cat "$dir.txt"
    done
  done
  local ok=0 line
  node "$HERE/evaluate-summary.mjs" "${runs[@]}" >"$STEP_DIR/details.json" || ok=$?
  line=$(json_field summary <"$STEP_DIR/details.json") || return 1
  [ "$ok" = 0 ] || { summary "$line"; return 1; }
  [ -n "$HAS_GPU" ] || no_gpu "rehearsed on the CPU, 2 rows x $max_tokens tokens: $line"
  summary "$line"
}

# Greedy texts on the GPU and on the CPU (CUDA_VISIBLE_DEVICES= hides the GPU from the same
# build), compared; kernels that sum in another order may flip a near-tie, so this reports.
step_greedy_gpu_cpu() {
  local tokens=128
  [ -n "$HAS_GPU" ] || tokens=24
  node "$HERE/engine-probe.mjs" greedy --model "$(main_model)" --gpu cuda --max-tokens $tokens >"$STEP_DIR/gpu.json" || return 1
  CUDA_VISIBLE_DEVICES= node "$HERE/engine-probe.mjs" greedy --model "$(main_model)" --gpu cpu --max-tokens $tokens >"$STEP_DIR/cpu.json" || return 1
  node "$HERE/divergence.mjs" "$STEP_DIR/gpu.json" "$STEP_DIR/cpu.json" >"$STEP_DIR/details.json" || return 1
  local line
  line="$(basename "$(main_model)" .gguf), 4 prompts x $tokens tokens: $(json_field summary <"$STEP_DIR/details.json")"
  [ -n "$HAS_GPU" ] || no_gpu "CPU against CPU: $line"
  [ "$(json_field gpu.gpu <"$STEP_DIR/cpu.json")" = false ] || { summary "the CPU reference ran on a GPU"; return 1; }
  summary "GPU vs CPU greedy, $line"
}

step_batch_invariance() {
  local tokens=128
  [ -n "$HAS_GPU" ] || tokens=24
  node "$HERE/engine-probe.mjs" invariance --model "$(main_model)" --gpu cuda --max-tokens $tokens >"$STEP_DIR/details.json" || return 1
  local line
  line="alone vs among 15 others, $tokens tokens: greedy $(json_field 'results.greedy.summary' <"$STEP_DIR/details.json"), temperature 0.7 $(json_field 'results["temperature 0.7"].summary' <"$STEP_DIR/details.json")"
  [ -n "$HAS_GPU" ] || no_gpu "on the CPU: $line"
  summary "$line"
}

# skythought bench against llama-batched-bench (same build, alternating rounds): compare MODEL
# PARALLEL PROMPT NEW REPEAT TITLE.
compare() {
  local gpu=cuda
  [ -n "$HAS_GPU" ] || gpu=cpu
  node "$ROOT/test/bench/compare.mjs" --model "$1" --gpu $gpu --threads "$(nproc)" --parallel "$2" --prompt-tokens "$3" \
    --max-tokens "$4" --repeat "$5" --skip-nlc --json >"$STEP_DIR/compare.json" || return 1
  node "$HERE/bench-table.mjs" "$STEP_DIR/compare.json" "$6" >"$STEP_DIR/details.json" || return 1
  local line
  line=$(json_field summary <"$STEP_DIR/details.json")
  [ -n "$HAS_GPU" ] || no_gpu "rehearsed on the CPU with bench-180m, parallel $2, $3 prompt / $4 new: $line"
  summary "$line"
}

throughput_of() {
  local name=$1 model=$MODELS/$1.gguf
  if [ -z "$HAS_GPU" ]; then
    [ "$name" = qwen2-1.5b-f16 ] || no_gpu "$name is written only for a GPU (the throughput step rehearses this one's plumbing)"
    compare "$MODELS/bench-180m.gguf" 1,4 32 32 1 "throughput, CPU rehearsal"
    return
  fi
  [ -f "$model" ] || { summary "skipped: $name.gguf was not written"; exit 4; }
  compare "$model" 1,8,32,64,128 128 512 2 "throughput: $name, 128 prompt / 512 new tokens, greedy, best of 2 alternating rounds"
}

step_throughput() { throughput_of qwen2-1.5b-f16; }
step_throughput_8b() { throughput_of llama-8b-f16; }
step_throughput_q8_0() { throughput_of qwen2-1.5b-q8_0; }

step_long_generation() {
  [ -n "$HAS_GPU" ] || { compare "$MODELS/bench-180m.gguf" 2 32 256 1 "long generation, CPU rehearsal"; return; }
  compare "$MODELS/qwen2-1.5b-f16.gguf" 32 128 4096 1 "long generation: qwen2-1.5b-f16, parallel 32, 128 prompt / 4,096 new tokens"
}

# ---- the run: steps in order of what matters most, each cut to what the budget has left -----

declare -A STEP_PIDS STEP_DIRS
STEP_NO=0
DEADLINE=$(( $(date +%s) + BUDGET_S ))
LOG=$OUT/log.txt

start_step() {
  local name=$1 limit=$2 left dir
  STEP_NO=$((STEP_NO + 1))
  dir=$WORK/steps/$(printf %02d $STEP_NO)-$name
  rm -rf "$dir" && mkdir -p "$dir"
  STEP_DIRS[$name]=$dir
  STEP_PIDS[$name]=""
  date +%s >"$dir/started"
  left=$(( DEADLINE - $(date +%s) ))
  if [ -n "${GPU_CHECK_ONLY:-}" ] && [[ " setup gpu_info build models $GPU_CHECK_ONLY " != *" $name "* ]]; then
    echo "skipped: not in GPU_CHECK_ONLY" >"$dir/summary.txt"; echo 4 >"$dir/exit"; return
  fi
  if [ "$left" -lt 20 ]; then
    echo "skipped: the time budget is spent (GPU_CHECK_BUDGET_S=$BUDGET_S)" >"$dir/summary.txt"; echo 4 >"$dir/exit"; return
  fi
  limit=$(( limit * ${GPU_CHECK_LIMIT_SCALE:-1} ))
  [ "$limit" -lt "$left" ] || limit=$left
  echo "$limit" >"$dir/limit"
  (STEP_DIR=$dir STEP_LIMIT=$limit timeout -k 10 "$limit" bash "$0" --step "$name" >"$dir/log" 2>&1; echo $? >"$dir/exit") &
  STEP_PIDS[$name]=$!
}

finish_step() {
  local name=$1 dir=${STEP_DIRS[$1]} code status
  [ -z "${STEP_PIDS[$name]}" ] || wait "${STEP_PIDS[$name]}"
  date +%s >"$dir/ended"
  echo $(( $(cat "$dir/ended") - $(cat "$dir/started") )) >"$dir/seconds"
  code=$(cat "$dir/exit")
  case $code in
    0) status=ok ;;
    3) status="no GPU" ;;
    4) status=skipped ;;
    124 | 137) status=timeout; echo "stopped at its limit of $(cat "$dir/limit") s: $(cat "$dir/summary.txt" 2>/dev/null || tail -n 1 "$dir/log")" >"$dir/summary.new"; mv "$dir/summary.new" "$dir/summary.txt" ;;
    *) status="failed ($code)" ;;
  esac
  [ -s "$dir/summary.txt" ] || first_error "$dir/log" >"$dir/summary.txt"
  echo "$status" >"$dir/status"
  { echo "==== $name: $status, $(cat "$dir/seconds") s"; cat "$dir/log" 2>/dev/null; } >>"$LOG"
  printf '%-18s %-10s %5s s  %s\n' "$name" "$status" "$(cat "$dir/seconds")" "$(cat "$dir/summary.txt")"
  write_results
}

run_step() { start_step "$@" && finish_step "$1"; }

# What a step that wrote no summary died of: its log's first error line, else its last line.
first_error() {
  grep -m1 -E '^(FAILED:|CMake Error|Error:|error:|[A-Za-z]*Error: )' "$1" 2>/dev/null || tail -n 1 "$1" 2>/dev/null
}

write_results() {
  command -v node >/dev/null && node "$HERE/results-table.mjs" "$WORK" "$OUT"
}

write_env() {
  COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || sed -n 's/^commit //p' "$ROOT/.carry/manifest.txt" 2>/dev/null) \
  GPU=$( [ -z "$HAS_GPU" ] || nvidia-smi --query-gpu=name,memory.total --format=csv,noheader | head -1) \
  DRIVER=$( [ -z "$HAS_GPU" ] || nvidia-smi --query-gpu=driver_version --format=csv,noheader | head -1) \
  CUDA=$(nvcc --version 2>/dev/null | sed -n 's/.*release \([0-9.]*\).*/\1/p') \
  HOST="$(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)" \
  node -e 'const e = process.env; console.log(JSON.stringify({ date: new Date().toISOString(), host: e.HOST, commit: e.COMMIT, gpu: e.GPU || null, driver: e.DRIVER || null, cuda: e.CUDA || null, node: process.version }))' \
    >"$WORK/env.json"
}

# nvidia-smi once a second: results-table.mjs reports each step's peak against the total.
sample_gpu_memory() {
  while sleep 1; do
    echo "$(date +%s) $(nvidia-smi --query-gpu=memory.used,memory.total --format=csv,noheader,nounits | head -1)"
  done >>"$WORK/gpu-memory.txt"
}

main() {
  mkdir -p "$WORK" "$OUT"
  rm -rf "$WORK/steps" "$WORK/gpu-memory.txt" "$LOG"
  HAS_GPU=$(has_gpu && echo 1)
  NO_GPU_WHY=$( [ -n "$HAS_GPU" ] || { command -v nvidia-smi >/dev/null && echo "nvidia-smi lists no GPU" || echo "no nvidia-smi"; })
  export HAS_GPU NO_GPU_WHY
  if [ -n "$HAS_GPU" ]; then
    sample_gpu_memory &
    SAMPLER=$!
    trap 'kill $SAMPLER 2>/dev/null' EXIT
  fi
  echo "gpu-check: budget ${BUDGET_S} s, work in $WORK, results in $OUT"
  run_step setup 240
  [ -x "$WORK/node/bin/node" ] && PATH=$WORK/node/bin:$PATH
  command -v node >/dev/null || { echo "gpu-check: no node after set-up; see $LOG" >&2; exit 1; }
  cuda_env
  write_env
  run_step gpu_info 30
  start_step build 420       # compiles on most cores while the models are written beside it
  start_step models 300
  run_step prebuilt_cuda 90
  finish_step models
  finish_step build
  [ "$(cat "${STEP_DIRS[build]}/status")" != ok ] && [ "$(cat "${STEP_DIRS[build]}/status")" != "no GPU" ] &&
    echo "gpu-check: the build failed; the later steps run on whatever addon the checkout has" >&2
  run_step smoke 90
  run_step throughput 240
  run_step evaluate 240
  run_step greedy_gpu_cpu 150
  run_step batch_invariance 90
  run_step long_generation 200
  run_step throughput_8b 180
  run_step throughput_q8_0 150
  echo
  cat "$OUT/results.md"
}

if [ "${1:-}" = --step ]; then
  "step_$2"
else
  main
fi
