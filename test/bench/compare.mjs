#!/usr/bin/env node
// `npm run bench:compare`: one workload through our engine, node-llama-cpp and (where built)
// llama.cpp's llama-batched-bench, each in its own process, then the ratios against the targets.
//   node test/bench/compare.mjs [--model M] [--threads 2] [--parallel 1,4,16] [--prompt-tokens 32]
//                               [--max-tokens 64] [--shared-prompt-tokens 512] [--repeat 3] [--skip-nlc]
//                               [--gpu cpu|cuda|vulkan|metal] [--json]
// --gpu (default cpu) is ours' --gpu; any GPU also gives llama-batched-bench -ngl 999 (all layers).
// The engines take turns: --repeat rounds of (ours, node-llama-cpp, batched-bench), each engine
// keeping its fastest prefill and decode per case. A busy neighbour on a shared machine then slows
// every engine's worst round instead of deciding a ratio, and no engine always runs first or last.
// Needs `npm run build` (dist/) and the native addon. Without --model it generates the random
// qwen2 "bench-180m" model (make-model's preset) into .cache/bench/.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { values: o } = parseArgs({
  options: {
    model: { type: "string" },
    threads: { type: "string", default: "2" },
    parallel: { type: "string", default: "1,4,16" },
    "prompt-tokens": { type: "string", default: "32" },
    "max-tokens": { type: "string", default: "64" },
    "shared-prompt-tokens": { type: "string", default: "512" },
    repeat: { type: "string", default: "3" },
    "skip-nlc": { type: "boolean", default: false },
    gpu: { type: "string", default: "cpu" },
    json: { type: "boolean", default: false },
  },
});

if (!existsSync(join(root, "dist", "cli", "bench.js"))) {
  console.error("compare: dist/ is missing; run `npm run build` first");
  process.exit(1);
}

// The "bench-180m" preset of `skythought make-model` (src/gguf/randomModelPresets.ts).
async function benchModel() {
  const path = join(root, ".cache", "bench", "bench-180m.gguf");
  if (existsSync(path)) return path;
  mkdirSync(dirname(path), { recursive: true });
  const { writeRandomModel, RANDOM_MODEL_PRESETS } = await import(pathToFileURL(join(root, "dist", "gguf", "index.js")).href);
  const tmp = `${path}.tmp-${process.pid}`;
  await writeRandomModel(tmp, RANDOM_MODEL_PRESETS["bench-180m"]);
  renameSync(tmp, path);
  return path;
}

const model = o.model ?? (await benchModel());
const threads = o.threads;
const P = o["prompt-tokens"];
const N = o["max-tokens"];
const log = (m) => process.stderr.write(`compare: ${m}\n`);

function node(args) {
  return execFileSync(process.execPath, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 24 });
}

function ours(extra) {
  const script = `import("./dist/cli/bench.js").then((m) => m.benchCommand().parseAsync(process.argv.slice(1), { from: "user" }))`;
  return JSON.parse(node(["--input-type=module", "-e", script, "--", "--model", model, "--threads", threads, "--json", "--gpu", o.gpu, ...extra]));
}

function batchedBench(bb) {
  const maxPl = Math.max(...o.parallel.split(",").map(Number));
  const out = execFileSync(bb, ["-m", model, "-c", String(maxPl * (Number(P) + Number(N) + 1)), "-b", "512", "-ub", "512",
    "-npp", P, "-ntg", N, "-npl", o.parallel, "-t", threads, "-tb", threads, ...(o.gpu === "cpu" ? [] : ["-ngl", "999"]), "--output-format", "jsonl"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return out.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
}

// Keeps, per parallel level, the largest value of each field seen over the rounds: the fastest
// decode and prefill, and (for ours) the largest memory overhead.
function keepMax(best, rows, key, fields) {
  for (const r of rows) {
    const seen = best.find((x) => x[key] === r[key]);
    if (!seen) best.push({ ...r });
    else for (const f of fields) seen[f] = Math.max(seen[f], r[f]);
  }
}

const { llamaToolPath } = await import(pathToFileURL(join(root, "native", "build", "llama-tools.mjs")).href);
const bb = llamaToolPath("llama-batched-bench");
if (!existsSync(bb)) log(`llama-batched-bench is not built (${bb}); run node native/build/llama-tools.mjs`);

const mine = [];
let nlc = [];
let batched = [];
for (let round = 1; round <= Number(o.repeat); round++) {
  log(`round ${round}/${o.repeat}: skythought bench (${model})`);
  keepMax(mine, ours(["--parallel", o.parallel, "--prompt-tokens", P, "--max-tokens", N]), "parallel", ["decodeTokensPerSec", "prefillTokensPerSec", "engineOverheadMb"]);
  if (!o["skip-nlc"]) {
    log(`round ${round}/${o.repeat}: node-llama-cpp`);
    keepMax(nlc, JSON.parse(node([join(root, "test", "bench", "nodeLlamaCppBench.mjs"), model, threads, P, N, o.parallel])), "parallel", ["decodeTokensPerSec", "prefillTokensPerSec"]);
  }
  if (existsSync(bb)) {
    log(`round ${round}/${o.repeat}: llama-batched-bench`);
    keepMax(batched, batchedBench(bb), "pl", ["speed_tg", "speed_pp"]);
  }
}

const S = o["shared-prompt-tokens"];
log(`prefill sharing: n=1 and n=8 samples of one ${S}-token prompt`);
const [n1] = ours(["--parallel", "1", "--prompt-tokens", S, "--max-tokens", "4", "--n-samples", "1", "--repeat", o.repeat]);
const [n8] = ours(["--parallel", "1", "--prompt-tokens", S, "--max-tokens", "4", "--n-samples", "8", "--repeat", o.repeat]);

const rows = mine.map((m) => {
  const n = nlc.find((x) => x.parallel === m.parallel);
  const b = batched.find((x) => x.pl === m.parallel);
  return {
    parallel: m.parallel,
    oursDecode: m.decodeTokensPerSec,
    nlcDecode: n?.decodeTokensPerSec ?? null,
    batchedBenchTg: b?.speed_tg ?? null,
    vsNodeLlamaCpp: n ? m.decodeTokensPerSec / n.decodeTokensPerSec : null,
    vsBatchedBench: b ? m.decodeTokensPerSec / b.speed_tg : null,
    oursPrefill: m.prefillTokensPerSec,
    nlcPrefill: n?.prefillTokensPerSec ?? null,
    batchedBenchPp: b?.speed_pp ?? null,
    engineOverheadMb: m.engineOverheadMb,
  };
});
const sharing = { promptTokens: Number(S), prefillSecN1: n1.prefillSec, prefillSecN8: n8.prefillSec, ratio: n8.prefillSec / n1.prefillSec };

const targets = [
  ["decode vs node-llama-cpp at parallel 4 >= 2.5x", rows.find((r) => r.parallel === 4)?.vsNodeLlamaCpp, (v) => v >= 2.5],
  ["decode vs node-llama-cpp at parallel 16 >= 1.8x", rows.find((r) => r.parallel === 16)?.vsNodeLlamaCpp, (v) => v >= 1.8],
  ["decode vs llama-batched-bench S_TG at parallel 16 >= 0.9x", rows.find((r) => r.parallel === 16)?.vsBatchedBench, (v) => v >= 0.9],
  [`prefill of n=8 vs n=1 (${S}-token prompt) <= 1.3x`, sharing.ratio, (v) => v <= 1.3],
  ["engine memory beyond weights and KV <= 100 MB", Math.max(...rows.map((r) => r.engineOverheadMb)), (v) => v <= 100],
];

if (o.json) {
  process.stdout.write(JSON.stringify({ rows, sharing, targets: targets.map(([name, v, ok]) => ({ name, value: v ?? null, met: v == null ? null : ok(v) })) }, null, 2) + "\n");
} else {
  const f = (v, d = 1) => (v == null ? "-" : v.toFixed(d));
  console.log(`model ${model}, gpu=${o.gpu}, ${threads} threads, ${P} prompt + ${N} new tokens, greedy\n`);
  console.log("parallel | ours decode t/s | node-llama-cpp | batched-bench S_TG | ours/nlc | ours/bb | ours prefill t/s | nlc prefill | bb S_PP");
  for (const r of rows) {
    console.log([r.parallel, f(r.oursDecode), f(r.nlcDecode), f(r.batchedBenchTg), f(r.vsNodeLlamaCpp, 2), f(r.vsBatchedBench, 2), f(r.oursPrefill), f(r.nlcPrefill), f(r.batchedBenchPp)].join(" | "));
  }
  console.log(`\nprefill sharing: n=1 ${f(sharing.prefillSecN1, 3)} s, n=8 ${f(sharing.prefillSecN8, 3)} s, ratio ${f(sharing.ratio, 2)}`);
  console.log("\ntargets:");
  for (const [name, v, ok] of targets) console.log(`  ${v == null ? "n/a " : ok(v) ? "met " : "MISS"}  ${name}: ${f(v, 2)}`);
}
