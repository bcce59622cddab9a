#!/usr/bin/env node
// Where two generated texts part: gpu-check.sh reports it (GPU vs CPU greedy, KV types, batch
// invariance) instead of requiring equality, since kernels that sum in another order may change a
// near-tie argmax.
//   node test/device/divergence.mjs a.json b.json    both {texts: string[]}; prints a JSON summary

/**
 * The first character at which `a` and `b` differ, or null when they are equal.
 * @param {string} a
 * @param {string} b
 * @returns {{ index: number, lengths: [number, number], a: string, b: string } | null}
 */
export function firstDivergence(a, b) {
  if (a === b) return null;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const excerpt = (s) => s.slice(i, i + 40);
  return { index: i, lengths: [a.length, b.length], a: excerpt(a), b: excerpt(b) };
}

/**
 * Compares texts pairwise: how many are equal, and where each differing pair parts.
 * @param {string[]} as
 * @param {string[]} bs
 */
export function compareTexts(as, bs) {
  if (as.length !== bs.length) throw new Error(`compareTexts: ${as.length} texts against ${bs.length}`);
  const pairs = as.map((a, i) => ({ index: i, divergence: firstDivergence(a, bs[i]) }));
  const differing = pairs.filter((p) => p.divergence);
  return {
    texts: as.length,
    equal: as.length - differing.length,
    earliest: differing.length ? Math.min(...differing.map((p) => p.divergence.index)) : null,
    differing,
  };
}

/** One line for a results table: "4/4 equal" or "1/4 equal, first parts at char 37". */
export function describeComparison(c) {
  return c.equal === c.texts ? `${c.equal}/${c.texts} equal` : `${c.equal}/${c.texts} equal, earliest divergence at char ${c.earliest}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { readFileSync } = await import("node:fs");
  const [a, b] = process.argv.slice(2).map((f) => JSON.parse(readFileSync(f, "utf8")).texts);
  const c = compareTexts(a, b);
  process.stdout.write(JSON.stringify({ ...c, summary: describeComparison(c) }) + "\n");
}
