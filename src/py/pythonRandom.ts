/**
 * CPython's `random` module generator (MT19937 seeded through `init_by_array`), bit for bit, so that
 * GPQA's option shuffles equal upstream's for the same `--seed`.
 */

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

export interface PythonRandom {
  /** `random.getrandbits(k)` for 0 <= k <= 32. */
  getrandbits(k: number): number;
  /** `random._randbelow(n)`: uniform in [0, n), by rejection on `n.bit_length()` bits. */
  randbelow(n: number): number;
  /** `random.shuffle(x)`, in place. */
  shuffle<T>(items: T[]): void;
  /** `random.random()`: 53-bit float in [0, 1). */
  random(): number;
}

/** `random.seed(seed)` for an int seed, as CPython does it: the 32-bit words of `abs(seed)`. */
export function createPythonRandom(seed: number | bigint): PythonRandom {
  const mt = new Uint32Array(N);
  let index = N + 1;

  function initGenrand(s: number): void {
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      // 1812433253 * prev mod 2^32, split to stay exact in doubles.
      mt[i] = (((((prev & 0xffff0000) >>> 16) * 1812433253) << 16) + (prev & 0x0000ffff) * 1812433253 + i) >>> 0;
    }
    index = N;
  }

  function initByArray(key: number[]): void {
    initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      const mul = (((((prev & 0xffff0000) >>> 16) * 1664525) << 16) + (prev & 0x0000ffff) * 1664525) >>> 0;
      mt[i] = ((mt[i]! ^ mul) + key[j]! + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      const mul = (((((prev & 0xffff0000) >>> 16) * 1566083941) << 16) + (prev & 0x0000ffff) * 1566083941) >>> 0;
      mt[i] = ((mt[i]! ^ mul) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
    }
    mt[0] = 0x80000000;
  }

  function genrandUint32(): number {
    if (index >= N) {
      let kk = 0;
      for (; kk < N - M; kk++) {
        const y = (mt[kk]! & UPPER_MASK) | (mt[kk + 1]! & LOWER_MASK);
        mt[kk] = mt[kk + M]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      for (; kk < N - 1; kk++) {
        const y = (mt[kk]! & UPPER_MASK) | (mt[kk + 1]! & LOWER_MASK);
        mt[kk] = mt[kk + (M - N)]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      const y = (mt[N - 1]! & UPPER_MASK) | (mt[0]! & LOWER_MASK);
      mt[N - 1] = mt[M - 1]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      index = 0;
    }
    let y = mt[index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  function getrandbits(k: number): number {
    if (!Number.isInteger(k) || k < 0 || k > 32) throw new RangeError(`getrandbits: k must be an integer in [0, 32], got ${k}`);
    if (k === 0) return 0;
    return genrandUint32() >>> (32 - k);
  }

  function randbelow(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 0xffffffff) throw new RangeError(`randbelow: n must be an integer in [1, 2^32), got ${n}`);
    const k = 32 - Math.clz32(n);
    let r = getrandbits(k);
    while (r >= n) r = getrandbits(k);
    return r;
  }

  initByArray(seedKey(seed));

  return {
    getrandbits,
    randbelow,
    shuffle<T>(items: T[]): void {
      for (let i = items.length - 1; i > 0; i--) {
        const j = randbelow(i + 1);
        const tmp = items[i]!;
        items[i] = items[j]!;
        items[j] = tmp;
      }
    },
    random(): number {
      const a = genrandUint32() >>> 5;
      const b = genrandUint32() >>> 6;
      return (a * 67108864 + b) / 9007199254740992;
    },
  };
}

/** CPython's `random_seed`: abs(seed) as little-endian 32-bit words, `[0]` for zero. */
function seedKey(seed: number | bigint): number[] {
  if (typeof seed === "number" && !Number.isSafeInteger(seed)) {
    throw new RangeError(`seed must be an integer, got ${seed}`);
  }
  let n = BigInt(seed);
  if (n < 0n) n = -n;
  const key: number[] = [];
  while (n > 0n) {
    key.push(Number(n & 0xffffffffn));
    n >>= 32n;
  }
  return key.length > 0 ? key : [0];
}
