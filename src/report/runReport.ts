import { kCurves, type CurvePoint } from "./curves.js";
import { headerItems, sessions, type HeaderItem } from "./header.js";
import { problemFacts, type ProblemFacts } from "./problems.js";
import type { RunFolder } from "./runFolder.js";

/** A headline number: label, value as shown, and what it means. */
export interface MetricItem {
  label: string;
  value: string;
  hint?: string;
}

/** Everything a report shows of one run, computed from its folder's files. */
export interface RunReport {
  dir: string;
  name: string;
  task: string;
  /** Samples per problem (responses of the first record, as upstream). */
  n: number;
  /** sampling_params.max_tokens of the run config, when set. */
  maxTokens: number | null;
  header: HeaderItem[];
  metrics: MetricItem[];
  curves: CurvePoint[];
  problems: ProblemFacts[];
  /** Samples per finish reason (samples.jsonl); empty for upstream folders. */
  finishReasons: Record<string, number>;
  /** Responses the grader failed on (run.json metrics.grader_errors). */
  graderErrors: number;
  /** Samples that ended at max_tokens: finish reason "length", or as many tokens when reasons are unknown. */
  hitMaxTokens: number;
  /** Generation throughput over the run (sessions joined end to end), from the samples' times. */
  throughput: { seconds: number; tokensPerSec: number }[];
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});

export function runReport(folder: RunFolder): RunReport {
  const config = obj(folder.summary.configuration);
  const taskConfig = obj(obj(config.task).config);
  const problems = problemFacts(folder, taskConfig);
  const n = problems[0]?.samples.length ?? 0;
  const maxTokens = Number(obj(config.sampling_params).max_tokens) || null;
  const samples = problems.flatMap((p) => p.samples);
  const finishReasons: Record<string, number> = {};
  for (const s of samples) if (s.finish !== null) finishReasons[s.finish] = (finishReasons[s.finish] ?? 0) + 1;
  const known = Object.keys(finishReasons).length > 0;
  const hitMaxTokens = samples.filter((s) => (known ? s.finish === "length" : maxTokens !== null && s.tokens >= maxTokens)).length;
  const curves = kCurves(problems, n);
  const completionTokens = samples.reduce((a, s) => a + s.tokens, 0);
  return {
    dir: folder.dir,
    name: folder.name,
    task: String(obj(config.task).name ?? "?"),
    n,
    maxTokens,
    header: headerItems(folder, { completionTokens }),
    metrics: metricItems(folder, { problems, n, curves, hitMaxTokens, maxTokens }),
    curves,
    problems,
    finishReasons,
    graderErrors: samples.filter((s) => s.graderError !== null).length,
    hitMaxTokens,
    throughput: throughput(folder, problems),
  };
}

function metricItems(folder: RunFolder, r: { problems: ProblemFacts[]; n: number; curves: CurvePoint[]; hitMaxTokens: number; maxTokens: number | null }): MetricItem[] {
  const samples = r.problems.flatMap((p) => p.samples);
  const scored = samples.filter((s) => s.correct !== null);
  const items: MetricItem[] = [{ label: "problems", value: `${r.problems.length} × n=${r.n}` }];
  if (scored.length > 0) {
    const accuracy = folder.summary.accuracy;
    items.push({ label: "accuracy", value: typeof accuracy === "number" ? `${percent(accuracy * 100)}` : "?", hint: "summary.json: correct responses / responses" });
    const passAtK = obj(folder.summary.pass_at_k);
    for (const [k, v] of Object.entries(passAtK)) items.push({ label: `pass@${k.slice(2)}`, value: percent(Number(v)), hint: "summary.json (unbiased estimator)" });
    for (const p of r.curves.filter((c) => c.metric === "maj@k")) items.push({ label: `maj@${p.k}`, value: percent(p.value), hint: "majority of the first k extracted answers" });
  } else {
    items.push({ label: "accuracy", value: "not scored", hint: "a generate run: run `skythought score` on the folder" });
  }
  const mean = (xs: number[]) => (xs.length === 0 ? "-" : Math.round(xs.reduce((a, b) => a + b, 0) / xs.length).toLocaleString("en-US"));
  items.push({ label: "tokens (mean)", value: mean(samples.map((s) => s.tokens)), hint: "completion tokens per response" });
  if (scored.length > 0) {
    items.push({ label: "tokens when right", value: mean(samples.filter((s) => s.correct === true).map((s) => s.tokens)) });
    items.push({ label: "tokens when wrong", value: mean(samples.filter((s) => s.correct === false).map((s) => s.tokens)) });
  }
  items.push({ label: "hit max_tokens", value: samples.length === 0 ? "-" : `${percent((r.hitMaxTokens / samples.length) * 100)}`, hint: `${r.hitMaxTokens} of ${samples.length} responses stopped at max_tokens ${r.maxTokens ?? "?"}` });
  const errors = samples.filter((s) => s.error !== null).length;
  if (errors > 0) items.push({ label: "generation errors", value: String(errors), hint: "samples.jsonl: finish reason error" });
  const graderErrors = samples.filter((s) => s.graderError !== null).length;
  if (graderErrors > 0) items.push({ label: "grader errors", value: String(graderErrors), hint: "run.json metrics.grader_errors: counted as not correct" });
  return items;
}

export function percent(x: number): string {
  return `${Number(x.toFixed(1))}%`;
}

/** Completion tokens per second in up to 40 slices of generation time (gaps between sessions removed). */
function throughput(folder: RunFolder, problems: readonly ProblemFacts[]): { seconds: number; tokensPerSec: number }[] {
  const list = sessions(folder);
  const points: { at: number; tokens: number }[] = [];
  for (const s of problems.flatMap((p) => p.samples)) {
    if (s.time === null) continue;
    const t = Date.parse(s.time);
    let offset = 0;
    for (const session of list) {
      const end = session.end ?? Infinity;
      if (t >= session.start && t <= end) {
        points.push({ at: offset + (t - session.start), tokens: s.tokens });
        break;
      }
      offset += (session.end ?? session.start) - session.start;
    }
  }
  if (points.length < 2) return [];
  const span = Math.max(...points.map((p) => p.at));
  const slices = Math.min(40, Math.max(2, Math.ceil(points.length / 4)));
  const width = span / slices;
  if (width <= 0) return [];
  const tokens = new Array<number>(slices).fill(0);
  for (const p of points) tokens[Math.min(slices - 1, Math.floor(p.at / width))]! += p.tokens;
  return tokens.map((t, i) => ({ seconds: Number((((i + 1) * width) / 1000).toFixed(3)), tokensPerSec: Number((t / (width / 1000)).toFixed(1)) }));
}
