/**
 * Values parsed from `k=v` strings keep Python's int/float distinction, because upstream hashes
 * and prints them: `temperature=1` is the int 1 (msgpack positive fixint, JSON `1`) while
 * `temperature=1.0` is a float (msgpack float64, JSON `1.0`). JS numbers cannot carry that, so a
 * Python float is wrapped in `PyFloat`; a plain JS number is a Python int when it is an integer
 * (and a float otherwise, which is what a library caller passing `0.6` means).
 */
export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  toJSON(): number {
    return this.value;
  }
  /** Python's str(): `27.0`, so a float in a template literal reads as Python would print it. */
  toString(): string {
    return pyFloatRepr(this.value);
  }
}

/** A parsed Python literal: dicts are Maps so that key order survives integer-like keys. */
export type PyValue = null | boolean | number | bigint | string | PyFloat | PyValue[] | PyDict;
export type PyDict = Map<string, PyValue>;

/** A Python int (plain number) or float (PyFloat) as a JS number; undefined for anything else. */
export function numericValue(value: unknown): number | undefined {
  return typeof value === "number" ? value : value instanceof PyFloat ? value.value : undefined;
}

export function pyFloat(value: number): PyFloat {
  return new PyFloat(value);
}

/** Plain JS view of a parsed value (what backends and zod schemas read): floats unwrapped, dicts as objects. */
export function toPlain(value: unknown): unknown {
  if (value instanceof PyFloat) return value.value;
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) return value.map(toPlain);
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) out[k] = toPlain(v);
    return out;
  }
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toPlain(v);
    return out;
  }
  return value;
}

/** A library caller's plain object as a dict (JS integers become Python ints). */
export function fromPlain(value: Record<string, unknown>): PyDict {
  const out: PyDict = new Map();
  for (const [k, v] of Object.entries(value)) out.set(k, v as PyValue);
  return out;
}

/** repr(float): the shortest round-trip digits, fixed for 1e-4 <= |x| < 1e16, else d.ddde±XX. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa, expText] = x.toExponential().split("e") as [string, string];
  const exp = Number(expText);
  const sign = mantissa.startsWith("-") ? "-" : "";
  const digits = mantissa.replace("-", "").replace(".", "");
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
  const frac = digits.slice(exp + 1);
  return `${sign}${intPart}.${frac || "0"}`;
}
