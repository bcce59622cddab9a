import type { FlippedProblem } from "./compare.js";
import type { RunReport } from "./runReport.js";

/** Markdown's table cell: pipes escaped, line breaks flattened. */
const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");

function table(head: string[], rows: string[][]): string {
  return [head, head.map(() => "---"), ...rows].map((r) => `| ${r.map(cell).join(" | ")} |`).join("\n");
}

/**
 * A short Markdown summary for papers and pull requests: what ran, a metrics table and a pass@k
 * table (one column per run), and for comparisons the problems that flipped.
 */
export function reportMarkdown(runs: readonly RunReport[], flipped: readonly FlippedProblem[]): string {
  const several = runs.length > 1;
  const names = runs.map((r, i) => (several ? `${i + 1}. ${r.name}` : r.name));
  const out: string[] = [`## ${runs[0]!.task}: ${several ? `${runs.length} runs` : runs[0]!.name}`, ""];
  for (const [i, r] of runs.entries()) {
    const facts = ["model", "model file", "backend", "sampling", "n", "seed", "wall time"].flatMap((k) => {
      const v = r.header.find(([label]) => label === k)?.[1];
      return v === undefined ? [] : [`${k} ${v}`];
    });
    out.push(`- ${several ? `${names[i]}: ` : ""}${facts.join("; ")}`);
  }
  const labels = [...new Set(runs.flatMap((r) => r.metrics.map((m) => m.label)))].filter((l) => !/^(pass|maj)@/.test(l));
  out.push("", table(["metric", ...names], labels.map((l) => [l, ...runs.map((r) => r.metrics.find((m) => m.label === l)?.value ?? "–")])));
  const ks = [...new Set(runs.flatMap((r) => r.curves.map((c) => c.k)))].sort((a, b) => a - b);
  if (ks.length > 1) {
    const value = (r: RunReport, k: number, metric: string) => {
      const v = r.curves.find((c) => c.k === k && c.metric === metric)?.value;
      return v === undefined ? "–" : v.toFixed(1);
    };
    const hasMaj = runs.some((r) => r.curves.some((c) => c.metric === "maj@k"));
    const head = ["k", ...names.map((n) => (hasMaj ? `${n} pass@k / maj@k` : `${n} pass@k`))];
    const rows = ks.map((k) => [String(k), ...runs.map((r) => (hasMaj ? `${value(r, k, "pass@k")} / ${value(r, k, "maj@k")}` : value(r, k, "pass@k")))]);
    out.push("", "pass@k (%), unbiased estimator over k = 1..n" + (hasMaj ? "; maj@k (%) at run.json's k values" : "") + ":", "", table(head, rows));
  }
  if (several) {
    out.push("", `Flipped problems (solved by some runs, by no response of another): ${flipped.length}`);
    if (flipped.length > 0) out.push("", table(["id", "question", ...names], flipped.map((f) => [f.id, f.question, ...f.correct.map((c, i) => (c === null ? "–" : `${c}/${f.n[i]}`))])));
  }
  return out.join("\n") + "\n";
}
