import { describe, expect, test } from "vitest";
import { sampleTokens } from "../../src/engine/index.js";
import type { SamplingParams } from "../../src/sampling/index.js";

type Sampling = Partial<SamplingParams>;

// The engine's sampler against the distribution it promises (vLLM's order: logit_bias, then
// temperature, then top-k, top-p and min-p on the tempered distribution), computed here in doubles.

/** Exact probabilities after the filters; ranks by logit, ties to the lower id. */
function target(raw: Float32Array, s: Sampling): number[] {
  const logits = Float32Array.from(raw);
  for (const [id, bias] of Object.entries(s.logit_bias ?? {})) logits[Number(id)]! += bias;
  const t = s.temperature ?? 0;
  const top = logits.reduce((a, b) => Math.max(a, b), -Infinity);
  const w = Array.from(logits, (l) => Math.exp((l - top) / t));
  const order = w.map((_, i) => i).sort((a, b) => logits[b]! - logits[a]! || a - b);
  const keep = new Set(order);
  if (s.top_k && s.top_k > 0) for (const i of order.slice(s.top_k)) keep.delete(i);
  if (s.top_p !== undefined && s.top_p < 1) {
    const ranked = order.filter((i) => keep.has(i));
    const goal = s.top_p * ranked.reduce((a, i) => a + w[i]!, 0);
    let mass = 0;
    let n = 0;
    while (n < ranked.length && mass < goal) mass += w[ranked[n++]!]!;
    for (const i of ranked.slice(Math.max(n, 1))) keep.delete(i);
  }
  if (s.min_p) for (const i of [...keep]) if (w[i]! < s.min_p) keep.delete(i);
  const mass = [...keep].reduce((a, i) => a + w[i]!, 0);
  return w.map((x, i) => (keep.has(i) ? x / mass : 0));
}

/** A seeded normal row (Box-Muller over a 32-bit LCG), so the test data is fixed. */
function normalRow(n: number, sd: number, seed: number): Float32Array {
  let x = seed >>> 0;
  const unit = () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) + 1) / 2 ** 32;
  return Float32Array.from({ length: n }, () => sd * Math.sqrt(-2 * Math.log(unit())) * Math.cos(2 * Math.PI * unit()));
}

function counts(tokens: Int32Array, n: number): number[] {
  const c = new Array<number>(n).fill(0);
  for (const t of tokens) c[t]!++;
  return c;
}

const DRAWS = 100_000;

describe("the sampler draws from the filtered distribution", () => {
  const logits = normalRow(64, 2, 7);
  const cases: Sampling[] = [
    { temperature: 1 },
    { temperature: 0.7, top_p: 0.9 },
    { temperature: 0.7, top_k: 10 },
    { temperature: 1.3, top_k: 20, top_p: 0.8, min_p: 0.05 },
    { temperature: 0.6, min_p: 0.1 },
    { temperature: 2, top_p: 0.5 },
    { temperature: 1, top_p: 0.9, logit_bias: { "3": 2.5, "10": -1, "40": -100 } },
  ];
  test.each(cases)("%o", async (sampling) => {
    const p = target(logits, sampling);
    const c = counts(await sampleTokens(logits, { ...sampling, seed: 11 }, DRAWS), logits.length);
    // Filtered-out tokens never come up.
    for (let i = 0; i < p.length; i++) if (p[i] === 0) expect(c[i], `token ${i} is filtered out`).toBe(0);
    // Pearson's chi-square over the kept tokens, against mean df + 6 standard deviations.
    const kept = p.map((_, i) => i).filter((i) => p[i]! > 0);
    const chi2 = kept.reduce((a, i) => a + (c[i]! - DRAWS * p[i]!) ** 2 / (DRAWS * p[i]!), 0);
    const df = kept.length - 1;
    expect(chi2).toBeLessThan(df + 6 * Math.sqrt(2 * df) + 1);
  });

  test("a 152k-token vocabulary with a peaked head: only the nucleus, in its proportions", async () => {
    const row = normalRow(152_064, 3, 3).map((l) => l - 10);
    const head = [101, 5000, 77_777, 150_000, 9];
    head.forEach((id, k) => (row[id] = 22 - 1.5 * k));
    const sampling = { temperature: 0.7, top_p: 0.95 };
    const p = target(row, sampling);
    const draws = 20_000;
    const c = counts(await sampleTokens(row, { ...sampling, seed: 2 }, draws), row.length);
    for (let i = 0; i < p.length; i++) if (c[i]! > 0) expect(p[i], `token ${i} is outside the nucleus`).toBeGreaterThan(0);
    for (const id of head) {
      if (p[id]! > 0.01) expect(Math.abs(c[id]! / draws - p[id]!)).toBeLessThan(5 * Math.sqrt(p[id]! / draws) + 1e-3);
    }
  });
});

describe("sampler determinism and edge cases", () => {
  const logits = normalRow(1000, 1, 5);

  test("one (seed, sample index) gives one sequence; another index or seed another", async () => {
    const s = { temperature: 1, top_p: 0.9, seed: 42 };
    const a = await sampleTokens(logits, s, 200, 3);
    expect(await sampleTokens(logits, s, 200, 3)).toEqual(a);
    expect(await sampleTokens(logits, s, 200, 4)).not.toEqual(a);
    expect(await sampleTokens(logits, { ...s, seed: 43 }, 200, 3)).not.toEqual(a);
  });

  test("greedy, top-k 1 and top-p near 0 pick the first of tied best tokens; min-p 1 keeps both", async () => {
    const row = new Float32Array(300_000).fill(-5);
    row[123_457] = 9;
    row[200_001] = 9;
    for (const s of [{}, { temperature: 1, top_k: 1 }, { temperature: 1, top_p: 1e-9 }]) {
      expect([...new Set(await sampleTokens(row, s, 50))]).toEqual([123_457]);
    }
    expect([...new Set(await sampleTokens(row, { temperature: 1, min_p: 1 }, 50))].sort()).toEqual([123_457, 200_001]);
  });

  test("logit_bias: +100 makes a token certain, -100 bans the best one from greedy", async () => {
    const best = logits.indexOf(Math.max(...logits));
    expect([...new Set(await sampleTokens(logits, { temperature: 1, logit_bias: { "17": 100 }, seed: 1 }, 200))]).toEqual([17]);
    const [second] = [...logits.keys()].filter((i) => i !== best).sort((a, b) => logits[b]! - logits[a]!);
    expect([...(await sampleTokens(logits, { logit_bias: { [best]: -100 } }, 1))]).toEqual([second]);
    await expect(sampleTokens(logits, { logit_bias: { "1000": 1 } }, 1)).rejects.toThrow(/logit_bias names token 1000, which is not in the vocabulary \(0 to 999\)/);
  });

  test("NaN and -Infinity logits are never drawn", async () => {
    const row = Float32Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? Number.NaN : i % 3 === 1 ? -Infinity : 0));
    const c = counts(await sampleTokens(row, { temperature: 1, seed: 1 }, 3000), 100);
    for (let i = 0; i < 100; i++) {
      if (i % 3 === 2) expect(c[i]).toBeGreaterThan(0);
      else expect(c[i]).toBe(0);
    }
  });

  test("bad arguments are TypeErrors that name them", async () => {
    await expect(sampleTokens(new Float32Array(0), {}, 1)).rejects.toThrow(/sampleTokens: logits must be a non-empty Float32Array/);
    await expect(sampleTokens(logits, { top_p: 0 }, 1)).rejects.toThrow(/sampleTokens: sampling\.top_p must be a number in \(0, 1\]/);
    await expect(sampleTokens(logits, { temperature: -1 }, 1)).rejects.toThrow(/sampleTokens: sampling.temperature must be a number/);
  });
});
