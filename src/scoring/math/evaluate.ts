// Numeric evaluation of parsed MathJSON over the complex numbers, with free symbols bound to sample
// values. Anything it cannot evaluate throws NotNumeric, and the comparison then fails (never guesses).
import type { Budget } from "./budget.js";
import * as C from "./complex.js";
import { type Json, type Node, view } from "./mathJson.js";

export class NotNumeric extends Error {}

type Complex = C.Complex;
type Env = ReadonlyMap<string, Complex>;

const CONSTANTS: ReadonlyMap<string, Complex> = new Map([
  ["Pi", C.c(Math.PI)], ["ExponentialE", C.c(Math.E)], ["e", C.c(Math.E)],
  ["ImaginaryUnit", C.I], ["i", C.I], ["PositiveInfinity", C.c(Infinity)],
  ["NegativeInfinity", C.c(-Infinity)], ["Half", C.c(0.5)], ["GoldenRatio", C.c((1 + Math.sqrt(5)) / 2)],
]);

const UNARY: Readonly<Record<string, (a: Complex) => Complex>> = {
  Negate: C.neg, Sqrt: C.sqrt, Exp: C.exp, Ln: C.log, Sin: C.sin, Cos: C.cos,
  Tan: (a) => C.div(C.sin(a), C.cos(a)), Cot: (a) => C.div(C.cos(a), C.sin(a)),
  Sec: (a) => C.div(C.c(1), C.cos(a)), Csc: (a) => C.div(C.c(1), C.sin(a)),
  Arcsin: C.asin, Arccos: C.acos, Arctan: C.atan, Arccot: (a) => C.atan(C.div(C.c(1), a)),
  Sinh: C.sinh, Cosh: C.cosh, Tanh: (a) => C.div(C.sinh(a), C.cosh(a)),
  Lb: (a) => C.div(C.log(a), C.c(Math.LN2)), Lg: (a) => C.div(C.log(a), C.c(Math.LN10)),
  Abs: (a) => C.c(C.abs(a)), Square: (a) => C.mul(a, a),
  // The answer normaliser already drops degree signs, so 30° and 30 must evaluate alike.
  Degrees: (a) => a,
};

const REAL_UNARY: Readonly<Record<string, (x: number) => number>> = {
  Floor: Math.floor, Ceil: Math.ceil, Ceiling: Math.ceil, Round: Math.round, Sign: Math.sign,
  Factorial: factorial,
};

function factorial(n: number): number {
  if (!Number.isInteger(n) || n < 0) return Number.NaN;
  // Past 170! a double overflows, and 1/2004! and 1/2006! would both be 0.
  if (n > 170) throw new NotNumeric("factorial too large to compare numerically");
  let r = 1;
  for (let k = 2; k <= n; k++) r *= k;
  return r;
}

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

function real(z: Complex): number {
  if (!C.isReal(z)) throw new NotNumeric("needs a real argument");
  return z.re;
}

function integerPair(args: Complex[]): [number, number] {
  const [a, b] = args.map(real) as [number, number];
  if (args.length !== 2 || !Number.isInteger(a) || !Number.isInteger(b)) throw new NotNumeric("needs two integers");
  return [a, b];
}

function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let j = 1; j <= Math.min(k, n - k); j++) r = (r * (n - k + j)) / j;
  return Math.round(r);
}

// f(x), g(x), h(x) are functions, not products; an unknown one is evaluated as a fixed quadratic of
// its argument (different for each name), so f(g(x)) and g(f(x)) differ while f(x) equals f(x).
const FUNCTION_LETTERS = new Set(["f", "g", "h"]);

function unknownFunction(name: string, z: Complex): Complex {
  let seed = 7;
  for (const ch of name) seed = (Math.imul(seed, 31) + ch.charCodeAt(0)) >>> 0;
  const a = 0.5 + (seed % 97) / 97;
  const b = ((seed >>> 7) % 89) / 89 - 0.5;
  const k = ((seed >>> 13) % 83) / 83;
  return C.add(C.add(C.mul(C.c(a), C.mul(z, z)), C.mul(C.c(b), z)), C.c(k));
}

/** `f(x)` as parsed (an invisible product of the symbol and a parenthesised group), or null. */
function functionCall(args: Json[]): { name: string; arg: Json } | null {
  if (args.length !== 2) return null;
  const [head, group] = args.map(view) as [Node, Node];
  if (head.kind !== "sym" || !FUNCTION_LETTERS.has(head.name) || group.kind !== "fn" || group.head !== "Delimiter") return null;
  return group.args.length === 1 ? { name: head.name, arg: group.args[0]! } : null;
}

/** `2\frac{1}{2}` is the mixed number 5/2, not 2 * 1/2. */
function mixedNumber(args: Json[]): Complex | null {
  if (args.length !== 2) return null;
  let whole = view(args[0]!);
  let sign = 1;
  if (whole.kind === "fn" && whole.head === "Negate" && whole.args.length === 1) {
    whole = view(whole.args[0]!);
    sign = -1;
  }
  const frac = view(args[1]!);
  if (whole.kind !== "num" || !Number.isInteger(whole.value) || frac.kind !== "fn" || frac.head !== "Divide") return null;
  const [n, d] = frac.args.map(view);
  if (n?.kind !== "num" || d?.kind !== "num") return null;
  return C.c(sign * (whole.value + (Math.sign(whole.value) || 1) * (n.value / d.value)));
}

function apply(head: string, raw: Json[], env: Env, budget: Budget): Complex {
  if (head === "InvisibleOperator") {
    const mixed = mixedNumber(raw);
    if (mixed) return mixed;
    const call = functionCall(raw);
    if (call) return unknownFunction(call.name, evaluate(call.arg, env, budget));
  }
  if (head === "Delimiter" || head === "Sequence") {
    const inner = raw.filter((a) => view(a).kind !== "str");
    if (inner.length !== 1) throw new NotNumeric("a tuple is not a number");
    return evaluate(inner[0]!, env, budget);
  }
  const args = raw.map((a) => evaluate(a, env, budget));
  const fn = UNARY[head];
  if (fn && args.length === 1) return fn(args[0]!);
  const realFn = REAL_UNARY[head];
  if (realFn && args.length === 1) return C.c(realFn(real(args[0]!)));
  switch (head) {
    case "Add": return args.reduce(C.add, C.c(0));
    case "Multiply": case "InvisibleOperator": return args.reduce(C.mul, C.c(1));
    case "Subtract": return args.slice(1).reduce(C.sub, args[0] ?? C.c(0));
    case "Divide": case "Rational": if (args.length === 2) return C.div(args[0]!, args[1]!); break;
    case "Power": if (args.length === 2) return C.pow(args[0]!, args[1]!); break;
    case "Root": if (args.length === 2) return C.root(args[0]!, args[1]!); break;
    case "Log":
      if (args.length === 1) return C.div(C.log(args[0]!), C.c(Math.LN10));
      if (args.length === 2) return C.div(C.log(args[0]!), C.log(args[1]!));
      break;
    case "Binomial": case "Choose": return C.c(binomial(...integerPair(args)));
    case "GCD": return C.c(gcd(...integerPair(args)));
    case "LCM": { const [a, b] = integerPair(args); return C.c(a && b ? Math.abs(a * b) / gcd(a, b) : 0); }
    case "Max": return C.c(Math.max(...args.map(real)));
    case "Min": return C.c(Math.min(...args.map(real)));
  }
  // P(x), Q(2): the parser reads a capital letter before parentheses as a function.
  if (/^[A-Z]$/.test(head) && args.length === 1) return unknownFunction(head, args[0]!);
  throw new NotNumeric(`cannot evaluate ${head}`);
}

/** Value of `expr` with free symbols taken from `env`. */
export function evaluate(expr: Json, env: Env, budget: Budget): Complex {
  budget.check();
  const n = view(expr);
  switch (n.kind) {
    case "num": return C.c(n.value);
    case "str": throw new NotNumeric("text is not a number");
    case "sym": {
      const v = env.get(n.name) ?? CONSTANTS.get(n.name);
      if (!v) throw new NotNumeric(`unbound symbol ${n.name}`);
      return v;
    }
    case "fn": return apply(n.head, n.args, env, budget);
  }
}

/** Names of the free symbols (variables) in `expr`. */
export function freeSymbols(expr: Json, into = new Set<string>()): Set<string> {
  const n = view(expr);
  if (n.kind === "sym" && !CONSTANTS.has(n.name)) into.add(n.name);
  if (n.kind === "fn") for (const a of n.args) freeSymbols(a, into);
  return into;
}
