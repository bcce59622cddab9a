#!/usr/bin/env node
// Summarises gpu-check.sh's `evaluate` runs (one run folder per KV type and flash-attention
// setting) and prints JSON: per run, where it ran (run.json's backend info), samples, tokens and
// empty responses, and how far its greedy text agrees with the first completed run's.
//   node test/device/evaluate-summary.mjs <label>=<run folder | stderr .txt> ...
// A path ending in .txt is a run the CLI ended with an error (the file holds its stderr). A label
// starting with "!" must end so (q8_0 KV without flash attention); any other must complete. Exits
// 1 when a run ended otherwise than expected.
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

function outcome(arg) {
  const at = arg.indexOf("=");
  const [rawLabel, path] = [arg.slice(0, at), arg.slice(at + 1)];
  const mustFail = rawLabel.startsWith("!");
  const label = rawLabel.replace(/^!/, "");
  if (path.endsWith(".txt")) {
    const error = readFileSync(path, "utf8").trim().split("\n").pop();
    return { label, mustFail, expected: mustFail, result: `${mustFail ? "refused as it must be" : "FAILED"}: ${error}` };
  }
  try {
    return { label, mustFail, expected: !mustFail, ...readRun(path), ...(mustFail ? { result: "ran, but must be refused" } : {}) };
  } catch (err) {
    return { label, mustFail, expected: false, result: `FAILED: ${err.message}` };
  }
}

const runs = process.argv.slice(2).map(outcome);
const ran = runs.filter((r) => r.texts && !r.result);
const reference = ran[0];
const rows = runs.map((r) => {
  if (!r.texts || r.result) return { label: r.label, expected: r.expected, result: r.result };
  const c = compareTexts(r.texts, reference.texts);
  const { texts, ...rest } = r;
  return { ...rest, vsReference: describeComparison(c), differing: c.differing };
});

const equal = rows.filter((r) => r.differing && r.differing.length === 0).length - 1;
const summary = `${ran.length}/${runs.filter((r) => !r.mustFail).length} runs completed on ${[...new Set(ran.map((r) => r.device))].join("; ") || "-"}` +
  (ran.length > 1 ? `; greedy texts equal to ${reference.label}'s in ${equal} of ${ran.length - 1} runs` : "") +
  rows.filter((r) => r.result).map((r) => `; ${r.label}: ${r.result}`).join("");

process.stdout.write(
  JSON.stringify({
    summary,
    reference: reference?.label ?? null,
    runs: rows,
    tables: [{
      title: `evaluate on MATH-500 rows, greedy: each run against ${reference?.label ?? "-"}`,
      head: ["run", "device", "flash attn", "samples", "completion tokens", "empty", "vs reference"],
      rows: rows.map((r) => (r.result ? [r.label, r.result, "", "", "", "", ""] : [r.label, r.device, r.flashAttn, r.samples, r.completionTokens, r.empty, r.vsReference])),
    }],
  }) + "\n",
);
process.exitCode = runs.every((r) => r.expected) ? 0 : 1;
