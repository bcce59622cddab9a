#!/usr/bin/env node
// Turns `test/bench/compare.mjs --json` output into gpu-check.sh's step details: the rows, a
// summary line (the lowest ours / llama-batched-bench decode ratio against the issue's 0.9x
// target) and a results table.
//   node test/device/bench-table.mjs <compare.json> <title>
import { readFileSync } from "node:fs";

const [file, title] = process.argv.slice(2);
const { rows, sharing } = JSON.parse(readFileSync(file, "utf8"));
const f = (v, digits = 1) => (v == null ? "-" : v.toFixed(digits));
const ratios = rows.map((r) => r.vsBatchedBench).filter((v) => v != null);
const lowest = ratios.length ? Math.min(...ratios) : null;
const summary = lowest == null
  ? `ours decode ${rows.map((r) => `${r.parallel}: ${f(r.oursDecode, 0)}`).join(", ")} t/s (no llama-batched-bench)`
  : `ours / llama-batched-bench decode ${f(lowest, 2)}x at worst (target 0.9x: ${lowest >= 0.9 ? "met" : "MISSED"}); ` +
    `ours ${f(Math.max(...rows.map((r) => r.oursDecode)), 0)} t/s at best`;

process.stdout.write(
  JSON.stringify({
    summary,
    rows,
    sharing,
    tables: [{
      title,
      head: ["parallel", "ours decode t/s", "batched-bench S_TG", "ours / bb", "ours prefill t/s", "bb S_PP"],
      rows: rows.map((r) => [r.parallel, f(r.oursDecode), f(r.batchedBenchTg), f(r.vsBatchedBench, 2), f(r.oursPrefill), f(r.batchedBenchPp)]),
    }],
  }) + "\n",
);
