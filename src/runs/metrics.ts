import type { FinishReason } from "../backends/index.js";
import { numpyMean, numpyRound, pyRound, PyFloat } from "../py/index.js";

/** Upstream's accuracy: a fraction, `round(correct / responses, 4)`, int 0 when there is nothing. */
export function accuracy(scores: ReadonlyArray<readonly number[]>): number | PyFloat {
  let correct = 0;
  let total = 0;
  for (const s of scores) {
    total += s.length;
    for (const v of s) correct += v;
  }
  return total === 0 ? 0 : new PyFloat(pyRound(correct / total, 4));
}

/** The k values upstream reports for N samples: N, then the largest power of two below it, halving to 1. */
export function passAtKValues(N: number): number[] {
  const ks: number[] = [];
  let k = N;
  while (k > 0) {
    ks.push(k);
    const pow = 2 ** Math.floor(Math.log2(k));
    k = pow === k ? Math.floor(k / 2) : pow;
  }
  return ks;
}

/** Unbiased pass@k for one problem: 1 − ∏_{i=N−c+1}^{N} (1 − k/i), multiplied left to right as np.prod. */
export function passAtKOne(N: number, c: number, k: number): number {
  if (N - c < k) return 1.0;
  let prod = 1.0;
  for (let i = N - c + 1; i <= N; i++) prod *= 1.0 - k / i;
  return 1.0 - prod;
}

/** Upstream's pass_at_k: {"k=N": mean×100 rounded to 3 decimals, ...}; null when N ≤ 1. */
export function passAtK(N: number, scores: ReadonlyArray<readonly number[]>): Record<string, PyFloat> | null {
  if (N <= 1) return null;
  const out: Record<string, PyFloat> = {};
  for (const k of passAtKValues(N)) {
    const perProblem = scores.map((s) => passAtKOne(N, s.reduce((a, b) => a + b, 0), k));
    out[`k=${k}`] = new PyFloat(numpyRound(numpyMean(perProblem) * 100, 3));
  }
  return out;
}

/**
 * maj@k (ours; upstream has none): per problem, the most common extracted answer among the first k
 * samples (ties broken by first appearance) counts as the problem's answer; the result is the
 * fraction of problems whose majority answer was scored correct. Same k values as pass@k.
 */
export function majAtK(
  N: number,
  samples: ReadonlyArray<ReadonlyArray<{ answer: string | null; correct: boolean }>>,
): Record<string, number> | null {
  if (N <= 1 || samples.length === 0) return null;
  const out: Record<string, number> = {};
  for (const k of passAtKValues(N)) {
    let hits = 0;
    for (const problem of samples) {
      const counts = new Map<string, { count: number; correct: boolean }>();
      for (const s of problem.slice(0, k)) {
        if (s.answer === null) continue;
        const entry = counts.get(s.answer) ?? { count: 0, correct: s.correct };
        entry.count++;
        counts.set(s.answer, entry);
      }
      let best: { count: number; correct: boolean } | undefined;
      for (const entry of counts.values()) if (!best || entry.count > best.count) best = entry;
      if (best?.correct) hits++;
    }
    out[`k=${k}`] = pyRound((hits / samples.length) * 100, 3);
  }
  return out;
}

export interface TokenStats {
  mean: number;
  median: number;
  total: number;
  count: number;
}

export function tokenStats(values: readonly number[]): TokenStats {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const total = sorted.reduce((a, b) => a + b, 0);
  const median = n === 0 ? 0 : n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  return { mean: n === 0 ? 0 : pyRound(total / n, 3), median, total, count: n };
}

export function finishReasonCounts(reasons: readonly FinishReason[]): Record<FinishReason, number> {
  const out: Record<FinishReason, number> = { stop: 0, length: 0, context: 0, abort: 0, error: 0 };
  for (const r of reasons) out[r]++;
  return out;
}
