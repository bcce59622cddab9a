import type { RunOutcome } from "../pipeline/index.js";
import { floatRepr, PyFloat, pyRound } from "../py/index.js";

// Numbers as summary.json spells them (75.0, not 75).
const value = (v: unknown): string => (v instanceof PyFloat ? floatRepr(v.value) : String(v));

/** pass@k / maj@k: {"k=2": 75.0, ...}, every value a float as summary.json spells it. */
function percents(o: unknown): string {
  if (o === null || o === undefined) return "-";
  return Object.entries(o as Record<string, unknown>)
    .map(([k, v]) => `${k} ${floatRepr(v instanceof PyFloat ? v.value : Number(v))}`)
    .join("  ");
}

function counts(o: unknown): string {
  return Object.entries(o as Record<string, unknown>)
    .map(([k, v]) => `${k} ${value(v)}`)
    .join("  ");
}

function tokens(o: unknown): string {
  if (!o) return "-";
  const t = o as { mean: number; median: number; total: number; count: number };
  return `mean ${t.mean}  median ${t.median}  total ${t.total}  (${t.count} samples)`;
}

/** "2 (row 17 sample 3, row 40 sample 0)": samples the grader failed on, counted as not correct. */
function graderErrorList(e: { count: number; samples: Array<{ row: string; sample: number }> }): string {
  const shown = e.samples.slice(0, 5).map((x) => `row ${x.row} sample ${x.sample}`).join(", ");
  return `${e.count} (${shown}${e.count > 5 ? ", ..." : ""}; counted as not correct, see run.json)`;
}

/** summary.json's accuracy (a fraction, as upstream writes it) as a percent, like pass@k and maj@k beside it. */
function percent(fraction: unknown): string {
  const v = fraction instanceof PyFloat ? fraction.value : Number(fraction);
  return floatRepr(pyRound(v * 100, 2));
}

/** The final table of a run: upstream's numbers first, then ours, then `extra` rows (the report's path); every rate in percent. */
export function metricsTable(outcome: RunOutcome, extra: [string, string][] = []): string {
  const s = outcome.summary;
  const m = outcome.metrics;
  const rows: [string, string][] = [
    ["run folder", outcome.runDir],
    ["problems", value(m.problems ?? "-")],
    ["samples/problem", value(m.samples_per_problem ?? "-")],
    ["generated now", String(outcome.generatedSamples)],
  ];
  if ("accuracy" in m) {
    rows.push(["accuracy (%)", percent(s.accuracy)], ["pass@k (%)", percents(s.pass_at_k)]);
    if ("maj_at_k" in m) rows.push(["maj@k (%)", percents(m.maj_at_k)]);
    const graderErrors = m.grader_errors as { count: number; samples: Array<{ row: string; sample: number }> } | undefined;
    if (graderErrors && graderErrors.count > 0) rows.push(["grader errors", graderErrorList(graderErrors)]);
  }
  rows.push(["completion tokens", tokens(m.completion_tokens)]);
  if (m.completion_tokens_correct) {
    rows.push(["  when correct", tokens(m.completion_tokens_correct)], ["  when incorrect", tokens(m.completion_tokens_incorrect)]);
  }
  rows.push(["prompt tokens", `total ${value(s.total_prompt_tokens)}  avg ${value(s.avg_prompt_tokens)}`]);
  if (m.finish_reasons) rows.push(["finish reasons", counts(m.finish_reasons)]);
  rows.push(...extra);
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join("\n") + "\n";
}
