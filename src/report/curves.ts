import { majAtK, passAtKOne } from "../runs/index.js";
import type { ProblemFacts } from "./problems.js";

/** One point of a k-curve, in percent. */
export interface CurvePoint {
  k: number;
  metric: "pass@k" | "maj@k";
  /** Percent, 0-100, rounded to 3 decimals as summary.json's pass@k. */
  value: number;
}

/**
 * pass@k for every k = 1..n (the unbiased estimator upstream uses, averaged over problems) and
 * maj@k at run.json's k values (where responses have answers), over the scored problems that have all n responses. Empty when
 * nothing is scored.
 */
export function kCurves(problems: readonly ProblemFacts[], n: number): CurvePoint[] {
  const scored = problems.filter((p) => p.samples.length === n && p.samples.every((s) => s.correct !== null));
  if (scored.length === 0 || n === 0) return [];
  const correct = scored.map((p) => p.samples.filter((s) => s.correct).length);
  const points: CurvePoint[] = [];
  for (let k = 1; k <= n; k++) {
    const mean = correct.reduce((a, c) => a + passAtKOne(n, c, k), 0) / correct.length;
    points.push({ k, metric: "pass@k", value: round3(mean * 100) });
  }
  // maj@k needs answers to vote on: tasks without a reference answer (code) have none.
  const hasAnswers = scored.some((p) => p.samples.some((s) => s.answer !== null));
  const maj = !hasAnswers ? null : majAtK(n, scored.map((p) => p.samples.map((s) => ({ answer: s.answer, correct: s.correct === true }))));
  for (const [key, value] of Object.entries(maj ?? {})) points.push({ k: Number(key.slice(2)), metric: "maj@k", value });
  return points.sort((a, b) => a.k - b.k);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
