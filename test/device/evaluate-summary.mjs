#!/usr/bin/env node
// Summarises gpu-check.sh's `evaluate` runs (one run folder per KV type and flash-attention
// setting) and prints JSON: per run, where it ran (run.json's backend info), samples, tokens,
// finish reasons and errors, and how far its greedy text agrees with the first run's.
//   node test/device/evaluate-summary.mjs <label>=<run folder or error file> ...
// A label whose path is a .txt file is a run the CLI refused; the file holds its stderr.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compareTexts, describeComparison } from "./divergence.mjs";

function readRun(dir) {
  const folder = join(dir, readdirSync(dir).find((d) => !d.startsWith(".")) ?? "");
  const results = JSON.parse(readFileSync(join(folder, "results.json"), "utf8"));
  const run = JSON.parse(readFileSync(join(folder, "run.json"), "utf8"));
  const ids = Object.keys(results).sort((a, b) => Number(a) - Number(b));
  const texts = ids.map((id) => results[id].responses[0]?.content ?? "");
  const usages = ids.flatMap((id) => results[id].token_usages ?? []);
  const gpu = run.backend?.info?.gpu ?? {};
  return {
    texts,
    device: gpu.gpu ? `${gpu.variant}: ${gpu.devices.join(", ")}` : `CPU${gpu.fallback ? ` (${gpu.fallback})` : ""}`,
    flashAttn: run.backend?.info?.engine?.flashAttn ?? null,
    samples: texts.length,
    completionTokens: usages.reduce((s, u) => s + u.completion_tokens, 0),
    empty: texts.filter((t) => t.length === 0).length,
  };
}

const runs = process.argv.slice(2).map((arg) => {
  const [label, path] = arg.split("=");
  if (path.endsWith(".txt")) return { label, refused: readFileSync(path, "utf8").trim().split("\n").pop() };
  try {
    return { label, ...readRun(path) };
  } catch (err) {
    return { label, failed: err.message };
  }
});

const reference = runs.find((r) => r.texts);
const rows = runs.map((r) => {
  if (!r.texts) return { label: r.label, result: r.refused ? `refused: ${r.refused}` : `failed: ${r.failed}` };
  const c = compareTexts(r.texts, reference.texts);
  const { texts, ...rest } = r;
  return { ...rest, vsReference: describeComparison(c), differing: c.differing };
});

const ran = rows.filter((r) => !r.result);
const equal = ran.slice(1).filter((r) => r.differing.length === 0).length;
const summary = `${ran.length}/${rows.length} runs completed on ${[...new Set(ran.map((r) => r.device))].join("; ") || "-"}` +
  (ran.length > 1 ? `; texts equal to ${reference.label}'s in ${equal} of ${ran.length - 1}` : "") +
  rows.filter((r) => r.result).map((r) => `; ${r.label} ${r.result}`).join("");

process.stdout.write(
  JSON.stringify({
    summary,
    reference: reference?.label ?? null,
    runs: rows,
    tables: [{
      title: `evaluate on MATH-500 rows, greedy: each run against ${reference?.label ?? "-"}`,
      head: ["run", "device", "flash attn", "samples", "completion tokens", "empty", "vs reference"],
      rows: rows.map((r) => r.result ? [r.label, r.result, "", "", "", "", ""] : [r.label, r.device, r.flashAttn, r.samples, r.completionTokens, r.empty, r.vsReference]),
    }],
  }) + "\n",
);
