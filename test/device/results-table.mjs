#!/usr/bin/env node
// Writes gpu-check.sh's results from its work folder: results.json (everything) and results.md
// (one row per step, then the steps' own tables), rewritten after every step so that a run cut
// short still leaves them.
//   node test/device/results-table.mjs <work dir> <out dir>
// The work dir holds env.json (what the machine is), gpu-memory.txt (lines "<epoch s> <used MiB>
// <total MiB>" sampled by nvidia-smi) and steps/<NN>-<name>/ with status, seconds, started,
// ended, summary.txt and, when the step made one, details.json.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const readText = (path, fallback = "") => (existsSync(path) ? readFileSync(path, "utf8").trim() : fallback);

function readJson(path) {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    return { unreadable: `${path}: ${err.message}` };
  }
}

/** Samples of GPU memory as [epoch s, used MiB, total MiB]; blank or partial lines are skipped. */
export function parseMemorySamples(text) {
  return text.split("\n").map((l) => l.trim().split(/[\s,]+/).map(Number)).filter((s) => s.length === 3 && s.every(Number.isFinite));
}

/** The most GPU memory any sample saw while a step ran, or null without samples in its window. */
function peakUsedMiB(samples, started, ended) {
  const inside = samples.filter(([t]) => t >= started && t <= ended);
  return inside.length ? Math.max(...inside.map(([, used]) => used)) : null;
}

/** Everything results.json holds, from the parsed inputs. */
export function buildResults({ env, steps, memory }) {
  const withPeaks = steps.map((s) => ({ ...s, gpuMemoryPeakMiB: peakUsedMiB(memory, s.started, s.ended) }));
  const peak = withPeaks.reduce((best, s) => ((s.gpuMemoryPeakMiB ?? -1) > (best?.gpuMemoryPeakMiB ?? -1) ? s : best), undefined);
  return {
    env,
    gpuMemory: memory.length
      ? { totalMiB: memory[0][2], usedAtStartMiB: memory[0][1], peakUsedMiB: peak?.gpuMemoryPeakMiB ?? null, peakStep: peak?.name ?? null }
      : null,
    steps: withPeaks,
  };
}

const cell = (v) => String(v ?? "").replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");

function table(head, rows) {
  return [`| ${head.map(cell).join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`)].join("\n");
}

/** results.md: the machine, one row per step, then each step's own tables. */
export function renderMarkdown(results) {
  const { env = {}, steps } = results;
  const lines = [`# GPU check: ${env.gpu ?? "no GPU"}`, ""];
  const facts = [env.date, env.host, env.commit && `commit ${env.commit}`, env.node && `node ${env.node}`, env.cuda && `CUDA ${env.cuda}`, env.driver && `driver ${env.driver}`];
  lines.push(facts.filter(Boolean).join(" · "), "");
  const m = results.gpuMemory;
  if (m) lines.push(`GPU memory: ${m.usedAtStartMiB} of ${m.totalMiB} MiB used at the start (${m.totalMiB - m.usedAtStartMiB} free); peak ${m.peakUsedMiB} MiB, in ${m.peakStep}`, "");
  const memory = (s) => (s.gpuMemoryPeakMiB == null ? "" : ` [GPU memory peak ${s.gpuMemoryPeakMiB} MiB]`);
  lines.push(table(["step", "status", "s", "result"], steps.map((s) => [s.name, s.status, s.seconds, `${s.summary}${memory(s)}`])));
  for (const s of steps) {
    for (const t of s.details?.tables ?? []) lines.push("", `### ${t.title}`, "", table(t.head, t.rows));
  }
  return lines.join("\n") + "\n";
}

function readSteps(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().map((entry) => {
    const at = (f) => join(dir, entry, f);
    return {
      name: entry.replace(/^\d+-/, ""),
      status: readText(at("status"), "running"),
      seconds: Number(readText(at("seconds"), "0")),
      started: Number(readText(at("started"), "0")),
      ended: Number(readText(at("ended"), "0")),
      summary: readText(at("summary.txt")),
      details: readJson(at("details.json")),
    };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [work, out] = process.argv.slice(2);
  const results = buildResults({
    env: readJson(join(work, "env.json")) ?? {},
    steps: readSteps(join(work, "steps")),
    memory: parseMemorySamples(readText(join(work, "gpu-memory.txt"))),
  });
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "results.json"), JSON.stringify(results, null, 2) + "\n");
  writeFileSync(join(out, "results.md"), renderMarkdown(results));
}
