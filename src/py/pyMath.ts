/**
 * The float arithmetic upstream's summary numbers go through, reproduced so that the same
 * correctness table gives the same digits: Python's `round` (correctly rounded, ties to even),
 * numpy's `round` (rint(x * 10^d) / 10^d) and numpy's pairwise summation behind `np.mean`.
 */

/** Python's `round(x, ndigits)` for a float: exact decimal rounding, ties to even. */
export function pyRound(x: number, ndigits: number): number {
  if (!Number.isFinite(x)) return x;
  const fixed = Number(x.toFixed(ndigits));
  // toFixed rounds half away from zero; Python rounds an exact tie to even. Find exact ties.
  const tie = exactTie(x, ndigits);
  if (tie === undefined) return fixed;
  const scale = 10 ** ndigits;
  const down = tie.floor;
  const even = down % 2n === 0n ? down : down + 1n;
  return Number(even) / scale;
}

/** When x·10^nd lies exactly halfway between two integers, the lower one. */
function exactTie(x: number, nd: number): { floor: bigint } | undefined {
  const buf = Buffer.alloc(8);
  buf.writeDoubleBE(x);
  const bits = buf.readBigUInt64BE();
  const expBits = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  if (expBits !== 0) mant |= 1n << 52n;
  const e = (expBits === 0 ? 1 : expBits) - 1075; // x = ±mant · 2^e
  if (e >= 0) return undefined; // an integer: x·10^nd is an integer, never a tie
  const sign = x < 0 ? -1n : 1n;
  const num = mant * 10n ** BigInt(nd) * 2n;
  const den = 1n << BigInt(-e);
  if (num % den !== 0n) return undefined;
  const twice = num / den; // 2·|x|·10^nd, an odd integer for a tie
  if (twice % 2n === 0n) return undefined;
  const lower = (twice - 1n) / 2n;
  return { floor: sign > 0n ? lower : -(lower + 1n) };
}

/** numpy's `round(x, d)` on a float64: rint(x · 10^d) / 10^d, ties to even. */
export function numpyRound(x: number, decimals: number): number {
  const scale = 10 ** decimals;
  return rint(x * scale) / scale;
}

function rint(y: number): number {
  const f = Math.floor(y);
  const diff = y - f;
  if (diff < 0.5) return f;
  if (diff > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/** numpy's pairwise float64 summation (np.add.reduce over a contiguous array). */
export function numpySum(a: readonly number[], from = 0, to = a.length): number {
  const n = to - from;
  if (n < 8) {
    let res = 0;
    for (let i = from; i < to; i++) res += a[i]!;
    return res;
  }
  if (n <= 128) {
    const r = a.slice(from, from + 8);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j]! += a[from + i + j]!;
    let res = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!));
    for (; i < n; i++) res += a[from + i]!;
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return numpySum(a, from, from + n2) + numpySum(a, from + n2, to);
}

export function numpyMean(a: readonly number[]): number {
  return numpySum(a) / a.length;
}
