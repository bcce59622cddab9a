import type { TopLevelSpec } from "vega-lite";
import type { CurvePoint } from "./curves.js";
import type { RunReport } from "./runReport.js";

/**
 * The report's charts as Vega-Lite specs (drawn to SVG by renderChart). Data is prepared here
 * (bins, shares), so each chart's marks are known from the data: one bar per non-empty bin or
 * category, one line and one point per k for each curve.
 */

export const VERDICT_COLORS = { correct: "#2f9e5b", wrong: "#d1495b", "not scored": "#9aa5b1" } as const;
const WIDTH = 420;
const HEIGHT = 220;

/** pass@k for k = 1..n and maj@k, one colour per run when several are compared. */
export function kCurveChart(runs: { name: string; curves: CurvePoint[] }[]): TopLevelSpec {
  const values = runs.flatMap((r) => r.curves.map((c) => ({ run: r.name, k: c.k, metric: c.metric, value: c.value })));
  const several = runs.length > 1;
  // Ticks at the powers of two and at n: every k crowds the log axis when n is 64.
  const ks = [...new Set(values.map((v) => v.k))];
  const ticks = ks.filter((k) => Number.isInteger(Math.log2(k)) || k === Math.max(...ks));
  return {
    title: { text: "pass@k and maj@k", subtitle: "percent of problems, k = 1..n; solid pass@k, dashed maj@k" },
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    mark: { type: "line", point: { filled: true, size: 36 }, strokeWidth: 2 },
    encoding: {
      x: { field: "k", type: "quantitative", title: "k (samples)", scale: { type: "log", base: 2 }, axis: { values: ticks } },
      y: { field: "value", type: "quantitative", title: "%", scale: { domain: [0, 100] } },
      color: several
        ? { field: "run", type: "nominal", title: null, legend: { orient: "bottom", columns: 1, labelLimit: 520, symbolType: "stroke" } }
        : { field: "metric", type: "nominal", title: null, scale: { domain: ["pass@k", "maj@k"], range: ["#3b6fb6", "#e07b39"] }, legend: { symbolType: "stroke" } },
      // One run: colour and dash both encode the metric and share one legend, so their legend
      // settings must agree (vega-lite warns on the console otherwise). Several: the subtitle says it.
      strokeDash: { field: "metric", type: "nominal", title: null, scale: { domain: ["pass@k", "maj@k"], range: [[1, 0], [5, 3]] }, legend: several ? null : { symbolType: "stroke" } },
      detail: { field: "run" },
    },
  };
}

export interface LengthBin {
  start: number;
  end: number;
  verdict: keyof typeof VERDICT_COLORS;
  count: number;
}

/** Completion lengths in "nice" bins (1, 2 or 5 × 10^k tokens wide, about 30 of them), by verdict; empty bins dropped. */
export function lengthBins(report: RunReport): LengthBin[] {
  const samples = report.problems.flatMap((p) => p.samples);
  const top = Math.max(report.maxTokens ?? 0, ...samples.map((s) => s.tokens), 1);
  const raw = top / 30;
  const step = 10 ** Math.floor(Math.log10(raw));
  const width = [1, 2, 5, 10].map((m) => m * step).find((w) => w >= raw) ?? raw;
  const counts = new Map<string, LengthBin>();
  for (const s of samples) {
    const start = Math.floor(s.tokens / width) * width;
    const verdict = s.correct === null ? "not scored" : s.correct ? "correct" : "wrong";
    const key = `${start}/${verdict}`;
    const bin = counts.get(key) ?? { start, end: start + width, verdict, count: 0 };
    bin.count++;
    counts.set(key, bin);
  }
  return [...counts.values()].sort((a, b) => a.start - b.start || a.verdict.localeCompare(b.verdict));
}

/** The completion-length histogram, correct vs wrong stacked, with max_tokens marked. */
export function lengthChart(report: RunReport): TopLevelSpec {
  const total = report.problems.reduce((a, p) => a + p.samples.length, 0);
  const share = total === 0 ? 0 : (report.hitMaxTokens / total) * 100;
  const verdicts = Object.keys(VERDICT_COLORS) as (keyof typeof VERDICT_COLORS)[];
  const bins = lengthBins(report);
  const top = Math.max(report.maxTokens ?? 0, ...bins.map((b) => b.end));
  const layers: TopLevelSpec[] = [
    {
      data: { values: bins },
      // Ranged x with a count on y: vertical bars (Vega-Lite would lay them horizontally).
      mark: { type: "bar", orient: "vertical", binSpacing: 1 },
      encoding: {
        x: { field: "start", type: "quantitative", title: "completion tokens", scale: { domain: [0, top], nice: false } },
        x2: { field: "end" },
        y: { field: "count", type: "quantitative", stack: "zero", title: "responses" },
        color: { field: "verdict", type: "nominal", title: null, scale: { domain: verdicts, range: verdicts.map((v) => VERDICT_COLORS[v]) } },
        order: { field: "verdict" },
      },
    } as TopLevelSpec,
  ];
  if (report.maxTokens !== null) {
    layers.push({
      data: { values: [{ at: report.maxTokens, label: `max_tokens ${report.maxTokens}` }] },
      layer: [
        { mark: { type: "rule", color: "#444", strokeDash: [4, 3] }, encoding: { x: { field: "at", type: "quantitative" } } },
        { mark: { type: "text", align: "right", dx: -4, dy: 8, baseline: "top", color: "#444", fontSize: 11 }, encoding: { x: { field: "at", type: "quantitative" }, y: { value: 0 }, text: { field: "label" } } },
      ],
    } as TopLevelSpec);
  }
  return {
    title: { text: "Completion length", subtitle: `${share.toFixed(1)}% of responses (${report.hitMaxTokens} of ${total}) stopped at max_tokens` },
    width: WIDTH,
    height: HEIGHT,
    layer: layers,
  } as TopLevelSpec;
}

/** Responses per finish reason (stop, length, error...), and the responses the grader failed on. */
export function finishReasonChart(report: RunReport): TopLevelSpec {
  const values = Object.entries(report.finishReasons).map(([reason, count]) => ({ reason, count }));
  if (report.graderErrors > 0) values.push({ reason: "grader error", count: report.graderErrors });
  return {
    title: { text: report.graderErrors > 0 ? "Finish reasons and grader errors" : "Finish reasons", subtitle: "responses per reason (samples.jsonl; grader errors from run.json)" },
    width: WIDTH,
    height: Math.max(60, 28 * values.length),
    data: { values },
    mark: { type: "bar", color: "#5b7fb8" },
    encoding: {
      y: { field: "reason", type: "nominal", title: null, sort: "-x" },
      x: { field: "count", type: "quantitative", title: "responses" },
    },
  };
}

/** Accuracy of the responses in each group of a dataset column (MATH level, MMLU subject...). */
export function groupAccuracyChart(report: RunReport, column: string): TopLevelSpec {
  const groups = new Map<string, { correct: number; scored: number; problems: number }>();
  for (const p of report.problems) {
    const g = p.groups[column];
    if (g === undefined) continue;
    const entry = groups.get(g) ?? { correct: 0, scored: 0, problems: 0 };
    entry.problems++;
    for (const s of p.samples) if (s.correct !== null) (entry.scored++, (entry.correct += s.correct ? 1 : 0));
    groups.set(g, entry);
  }
  const values = [...groups].map(([group, e]) => ({ group, accuracy: e.scored === 0 ? 0 : Number(((e.correct / e.scored) * 100).toFixed(1)), problems: e.problems }));
  const numeric = values.every((v) => v.group !== "" && Number.isFinite(Number(v.group)));
  values.sort((a, b) => (numeric ? Number(a.group) - Number(b.group) : a.group.localeCompare(b.group)));
  return {
    title: { text: `Accuracy by ${column}`, subtitle: "percent of responses correct; problems per group at the bar's end" },
    width: WIDTH,
    height: Math.max(60, 24 * values.length),
    data: { values },
    encoding: {
      y: { field: "group", type: "nominal", title: column, sort: values.map((v) => v.group) },
      x: { field: "accuracy", type: "quantitative", title: "accuracy %", scale: { domain: [0, 100] } },
    },
    layer: [
      { mark: { type: "bar", color: "#3b6fb6" } },
      { mark: { type: "text", align: "left", dx: 4, color: "#555", fontSize: 11 }, encoding: { text: { field: "problems" } } },
    ],
  } as TopLevelSpec;
}

/** Completion tokens per second over the run's generation time. */
export function throughputChart(report: RunReport): TopLevelSpec {
  const minutes = (report.throughput.at(-1)?.seconds ?? 0) >= 120;
  const values = report.throughput.map((t) => ({ at: minutes ? Number((t.seconds / 60).toFixed(3)) : t.seconds, tokensPerSec: t.tokensPerSec }));
  return {
    title: { text: "Throughput", subtitle: "completion tokens per second, from the samples' finish times" },
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    mark: { type: "area", line: { color: "#3b6fb6" }, color: "#3b6fb633", interpolate: "step-before" },
    encoding: {
      x: { field: "at", type: "quantitative", title: minutes ? "minutes of generation" : "seconds of generation" },
      y: { field: "tokensPerSec", type: "quantitative", title: "tokens/s" },
    },
  };
}
