// Symbolic equivalence without a CAS simplifier: both sides are parsed from LaTeX (or Python-style
// text) and evaluated at the same sample points; equal everywhere means equal. This decides what
// sympy's simplify/equals decided upstream, but in bounded time, and without sympy's hangs.
import type { Budget } from "./budget.js";
import * as C from "./complex.js";
import { NotNumeric, evaluate, freeSymbols } from "./evaluate.js";
import { type Json, loadParser, parseLatex } from "./mathJson.js";

/** Longer answers are not expressions a person would box; parsing them only costs time. */
const MAX_LENGTH = 600;
const SAMPLE_POINTS = 8;
const NEEDED_POINTS = 3;
const DECIMAL_TOLERANCE = 1e-4; // upstream's isclose(rel_tol=1e-4) on float(N(a)), float(N(b))
/** Exact values evaluated in floating point: only rounding noise may differ (9999\frac67 is not 10000). */
const EXACT_TOLERANCE = 1e-9;
/** A decimal with a nonzero fractional digit: a possibly rounded value, which gets upstream's tolerance. */
const ROUNDED_DECIMAL = /[0-9]\.[0-9]*[1-9]/;
const FUNCTION_TOLERANCE = 1e-7;

const PY_FUNCTION = /(?<![\\a-zA-Z])(sqrt|exp|log|ln|sin|cos|tan|sec|csc|cot|asin|acos|atan|arcsin|arccos|arctan)\(/g;
const PY_PI = /(?<![\\a-zA-Z])pi(?![a-zA-Z])/g;

/** Python-style pieces ("sqrt(2)/2", "x**2", "pi") into LaTeX the parser reads. */
function toLatex(text: string): string {
  let s = text.replaceAll("**", "^").replace(PY_PI, "\\pi ");
  s = s.replace(PY_FUNCTION, (_m, name: string) => `\\${name.replace(/^a(?=sin|cos|tan)/, "arc")}(`);
  // \sqrt takes a braced argument: turn \sqrt( ... ) into \sqrt{ ... } by matching parentheses.
  let at = s.indexOf("\\sqrt(");
  while (at >= 0) {
    let depth = 0;
    let end = -1;
    for (let i = at + 5; i < s.length; i++) {
      if (s[i] === "(") depth++;
      else if (s[i] === ")" && --depth === 0) { end = i; break; }
    }
    if (end < 0) break;
    s = `${s.slice(0, at)}\\sqrt{${s.slice(at + 6, end)}}${s.slice(end + 1)}`;
    at = s.indexOf("\\sqrt(", at + 1);
  }
  return s;
}

// A run of four or more plain letters is a word, not a product of variables: anagrams would
// otherwise evaluate alike (\text{listen} and \text{silent}, as products of letters).
const WORD = /(?<![\\a-zA-Z{])[a-zA-Z]{4,}/;

export function parseExpression(text: string, budget: Budget): Json | null {
  const s = text.trim();
  if (s === "" || s.length > MAX_LENGTH) return null;
  // A slow first load on a busy machine must not use up the first comparison's budget.
  budget.extend(loadParser());
  const latex = toLatex(s);
  return WORD.test(latex) ? null : parseLatex(latex);
}

/** Deterministic sample points (mulberry32), so a score never changes between runs. */
function* samplePoints(names: string[]): Generator<Map<string, C.Complex>> {
  let seed = 0x9e3779b9;
  const next = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let k = 0; k < SAMPLE_POINTS; k++) {
    // Mostly positive points (where logs and roots are real), some negative to tell |x| from x.
    yield new Map(names.map((n) => [n, C.c((0.3 + 2.2 * next()) * (k % 3 === 2 ? -1 : 1))]));
  }
}

/**
 * Upstream's float(N(a)) vs float(N(b)) with isclose(rel_tol=1e-4) when either side writes a
 * decimal fraction (\frac{1}{3} = 0.3333); exact values compare exactly up to float noise. Its
 * percent rule applies to plain numbers only, so \frac{3}{4} is not 75. Rounding noise next to an
 * exact 0 (sin(pi)) counts as 0.
 */
function constantsEqual(a: C.Complex, b: C.Complex, tolerance: number): boolean {
  const nearZero = (x: C.Complex, y: C.Complex) => C.abs(x) === 0 && C.abs(y) < 1e-14;
  return nearZero(a, b) || nearZero(b, a) || C.close(a, b, tolerance, 0);
}

function tryEvaluate(expr: Json, env: ReadonlyMap<string, C.Complex>, budget: Budget): C.Complex | null {
  try {
    const v = evaluate(expr, env, budget);
    return C.isFiniteComplex(v) ? v : null;
  } catch (e) {
    if (e instanceof NotNumeric) return null;
    throw e;
  }
}

/** Whether two parsed scalar expressions agree: as numbers (within `tolerance`), or as functions of their variables. */
export function expressionsEqual(a: Json, b: Json, budget: Budget, tolerance: number): boolean {
  const names = [...freeSymbols(b, freeSymbols(a))].sort();
  if (names.length === 0) {
    const va = tryEvaluate(a, new Map(), budget);
    const vb = tryEvaluate(b, new Map(), budget);
    return va !== null && vb !== null && constantsEqual(va, vb, tolerance);
  }
  let agreed = 0;
  for (const env of samplePoints(names)) {
    const va = tryEvaluate(a, env, budget);
    const vb = tryEvaluate(b, env, budget);
    if (va === null || vb === null) continue;
    if (!C.close(va, vb, FUNCTION_TOLERANCE, 1e-10)) return false;
    agreed++;
  }
  return agreed >= NEEDED_POINTS;
}

/**
 * Whether f = 0 and g = 0 are the same equation: f and g proportional by a nonzero constant (a
 * positive one with `positive`, as inequalities need).
 */
export function proportional(f: Json, g: Json, budget: Budget, positive = false): boolean {
  const names = [...freeSymbols(g, freeSymbols(f))].sort();
  let ratio: C.Complex | null = null;
  let agreed = 0;
  for (const env of samplePoints(names)) {
    const vf = tryEvaluate(f, env, budget);
    const vg = tryEvaluate(g, env, budget);
    if (vf === null || vg === null) continue;
    const fZero = C.abs(vf) < 1e-12;
    const gZero = C.abs(vg) < 1e-12;
    if (fZero || gZero) {
      if (fZero !== gZero) return false;
      agreed++;
      continue;
    }
    const r = C.div(vf, vg);
    if (positive && !(Math.abs(r.im) < 1e-12 && r.re > 0)) return false;
    if (ratio === null) ratio = r;
    else if (!C.close(r, ratio, FUNCTION_TOLERANCE, 1e-12)) return false;
    agreed++;
    if (names.length === 0) break;
  }
  return names.length === 0 ? agreed > 0 : agreed >= NEEDED_POINTS;
}

/** Symbolic equality of two answer strings (the last step of mathEqual). */
export function symbolicEqual(a: string, b: string, budget: Budget): boolean {
  const pa = parseExpression(a, budget);
  if (pa === null) return false;
  const pb = parseExpression(b, budget);
  const tolerance = ROUNDED_DECIMAL.test(a) || ROUNDED_DECIMAL.test(b) ? DECIMAL_TOLERANCE : EXACT_TOLERANCE;
  return pb !== null && expressionsEqual(pa, pb, budget, tolerance);
}

/** Two equations `l1 = r1`, `l2 = r2` describe the same relation. */
export function equationsEqual(l1: string, r1: string, l2: string, r2: string, budget: Budget): boolean {
  const f = parseExpression(`${l1}-(${r1})`, budget);
  const g = parseExpression(`${l2}-(${r2})`, budget);
  return f !== null && g !== null && proportional(f, g, budget);
}
