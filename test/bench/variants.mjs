#!/usr/bin/env node
// Engine settings against each other on one workload: `skythought bench` runs once per variant
// per round, the variants taking turns (a, b, c, a, b, c, ...) so a busy neighbour costs each
// variant a round instead of deciding a ratio; each keeps its fastest decode and prefill.
//   node test/bench/variants.mjs [--model M] [--parallel 16] [--prompt-tokens 32] [--max-tokens 64]
//        [--repeat 3] [--busy N] [--json] --variant 'name:flags' --variant 'name:flags' ...
// flags are `skythought bench` flags; an `env:KEY=VALUE` token sets an environment variable for
// that variant (e.g. env:SKYTHOUGHT_ADDON=prebuilt). --busy N keeps N other processes spinning on
// the CPU for the whole comparison (the loaded machine the thread defaults must survive). Ratios
// are against the first variant. Without --model: the bench-180m model of test/bench/compare.mjs.
//   e.g. --variant 'auto:' --variant 'one:--threads 1' --variant 'two:--threads 2' --busy 1
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { values: o } = parseArgs({
  options: {
    model: { type: "string", default: join(root, ".cache", "bench", "bench-180m.gguf") },
    parallel: { type: "string", default: "16" },
    "prompt-tokens": { type: "string", default: "32" },
    "max-tokens": { type: "string", default: "64" },
    repeat: { type: "string", default: "3" },
    busy: { type: "string", default: "0" },
    variant: { type: "string", multiple: true, default: [] },
    json: { type: "boolean", default: false },
  },
});
if (o.variant.length < 2) {
  console.error("variants: give at least two --variant 'name:flags'");
  process.exit(2);
}
if (!existsSync(o.model)) {
  console.error(`variants: ${o.model} is missing; run test/bench/compare.mjs once (it writes the bench model) or pass --model`);
  process.exit(2);
}

const variants = o.variant.map((spec) => {
  const at = spec.indexOf(":");
  const tokens = spec.slice(at + 1).split(" ").filter(Boolean);
  const env = Object.fromEntries(tokens.filter((t) => t.startsWith("env:")).map((t) => t.slice(4).split("=")));
  return { name: spec.slice(0, at), flags: tokens.filter((t) => !t.startsWith("env:")), env };
});

const busy = Array.from({ length: Number(o.busy) }, () => spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }));
const stop = () => busy.forEach((p) => p.kill("SIGKILL"));
process.on("exit", stop);

function bench(v) {
  const script = `import("./dist/cli/bench.js").then((m) => m.benchCommand().parseAsync(process.argv.slice(1), { from: "user" }))`;
  const args = ["--input-type=module", "-e", script, "--", "--model", o.model, "--gpu", "cpu", "--json", "--parallel", o.parallel,
    "--prompt-tokens", o["prompt-tokens"], "--max-tokens", o["max-tokens"], ...v.flags];
  const out = execFileSync(process.execPath, args, { cwd: root, encoding: "utf8", env: { ...process.env, ...v.env }, stdio: ["ignore", "pipe", "inherit"] });
  return JSON.parse(out);
}

const best = new Map(); // `${variant}/${parallel}` -> row with the fastest decode and prefill seen
for (let round = 1; round <= Number(o.repeat); round++) {
  for (const v of variants) {
    process.stderr.write(`variants: round ${round}/${o.repeat}: ${v.name}\n`);
    for (const r of bench(v)) {
      const key = `${v.name}/${r.parallel}`;
      const seen = best.get(key);
      best.set(key, seen ? { ...r, decodeTokensPerSec: Math.max(seen.decodeTokensPerSec, r.decodeTokensPerSec), prefillTokensPerSec: Math.max(seen.prefillTokensPerSec, r.prefillTokensPerSec) } : r);
    }
  }
}
stop();

const levels = o.parallel.split(",").map(Number);
const rows = levels.flatMap((parallel) => {
  const first = best.get(`${variants[0].name}/${parallel}`);
  return variants.map((v) => {
    const r = best.get(`${v.name}/${parallel}`);
    return { variant: v.name, parallel, decodeTokensPerSec: r.decodeTokensPerSec, prefillTokensPerSec: r.prefillTokensPerSec,
      decodeVsFirst: r.decodeTokensPerSec / first.decodeTokensPerSec, prefillVsFirst: r.prefillTokensPerSec / first.prefillTokensPerSec };
  });
});
const loadavg = (await import("node:os")).loadavg()[0];
if (o.json) {
  process.stdout.write(JSON.stringify({ model: o.model, busy: Number(o.busy), loadavg, rows }, null, 2) + "\n");
} else {
  console.log(`model ${o.model}, ${o["prompt-tokens"]} prompt + ${o["max-tokens"]} new tokens, ${o.busy} busy processes, load ${loadavg.toFixed(1)}\n`);
  console.log("variant | parallel | decode t/s | prefill t/s | decode / first | prefill / first");
  for (const r of rows) console.log([r.variant, r.parallel, r.decodeTokensPerSec.toFixed(1), r.prefillTokensPerSec.toFixed(1), r.decodeVsFirst.toFixed(2), r.prefillVsFirst.toFixed(2)].join(" | "));
}
