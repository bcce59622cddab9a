// Inequalities as answers (x \ge 5, 5 \le x, -x > -1). Upstream had no notion of them beyond
// string equality; two inequalities are the same when, written as f < 0 (or f <= 0, f != 0), their
// f agree up to a positive factor (any nonzero factor for !=).
import type { Budget } from "./budget.js";
import { parseExpression, proportional } from "./symbolic.js";

type Op = "<" | "<=" | "!=";
type Relation = { lhs: string; rhs: string; op: Op };

// Longest spellings first so "\le" does not match inside "\leq" leftovers; "<=" before "<".
const RELATIONS: ReadonlyArray<readonly [string, Op, boolean]> = [
  ["\\leqslant", "<=", false], ["\\geqslant", "<=", true], ["\\leq", "<=", false], ["\\geq", "<=", true],
  ["\\le", "<=", false], ["\\ge", "<=", true], ["<=", "<=", false], [">=", "<=", true], ["≤", "<=", false],
  ["≥", "<=", true], ["\\lt", "<", false], ["\\gt", "<", true], ["<", "<", false], [">", "<", true],
  ["\\neq", "!=", false], ["\\ne", "!=", false], ["!=", "!=", false], ["≠", "!=", false],
];

/** The single relation in `s`, turned around so the operator is <, <= or !=; null otherwise. */
export function parseRelation(s: string): Relation | null {
  for (const [symbol, op, flipped] of RELATIONS) {
    const at = s.indexOf(symbol);
    if (at < 0) continue;
    const lhs = s.slice(0, at);
    const rhs = s.slice(at + symbol.length);
    if (symbol.startsWith("\\") && /^(ftarrow|ftrightarrow|arrow|wline)/.test(rhs)) continue; // \leftarrow, \nearrow, \newline
    if (lhs.trim() === "" || rhs.trim() === "" || RELATIONS.some(([other]) => rhs.includes(other))) return null;
    return flipped ? { lhs: rhs, rhs: lhs, op } : { lhs, rhs, op };
  }
  return null;
}

/** Every relation symbol in `s` with its position, longest spelling first at each position. */
function relationTokens(s: string): Array<{ at: number; end: number; op: Op; flipped: boolean }> {
  const found: Array<{ at: number; end: number; op: Op; flipped: boolean }> = [];
  for (let i = 0; i < s.length; i++) {
    const hit = RELATIONS.find(([symbol]) => s.startsWith(symbol, i));
    if (!hit) continue;
    found.push({ at: i, end: i + hit[0].length, op: hit[1], flipped: hit[2] });
    i += hit[0].length - 1;
  }
  return found;
}

/**
 * The interval an inequality in one variable describes: "-2 \le x \le 7" -> "[-2,7]",
 * "x > 3" -> "(3,\infty)". Null for anything else.
 */
export function relationToInterval(s: string): string | null {
  const tokens = relationTokens(s);
  if (tokens.length === 0 || tokens.length > 2 || tokens.some((t) => t.op === "!=")) return null;
  const parts = [0, ...tokens.map((t) => t.end)].map((from, k) => s.slice(from, tokens[k]?.at ?? s.length).trim());
  const isVariable = (x: string) => /^\p{L}$/u.test(x);
  const open = (t: { op: Op }) => (t.op === "<" ? "(" : "[");
  const close = (t: { op: Op }) => (t.op === "<" ? ")" : "]");
  if (tokens.length === 2) {
    const [t1, t2] = tokens as [(typeof tokens)[0], (typeof tokens)[0]];
    if (t1.flipped !== t2.flipped || !isVariable(parts[1]!)) return null;
    const [lo, hi, tl, th] = t1.flipped ? [parts[2]!, parts[0]!, t2, t1] : [parts[0]!, parts[2]!, t1, t2];
    return `${open(tl)}${lo},${hi}${close(th)}`;
  }
  const t = tokens[0]!;
  const [left, right] = parts as [string, string];
  // Reading x < a (variable on the left) or a < x (on the right); "flipped" means > or >=.
  const upper = isVariable(left) ? !t.flipped : isVariable(right) ? t.flipped : null;
  if (upper === null) return null;
  const bound = isVariable(left) ? right : left;
  return upper ? `(-\\infty,${bound}${close(t)}` : `${open(t)}${bound},\\infty)`;
}

/** Whether two relation strings state the same inequality; null when either is not one. */
export function relationsEqual(p: string, g: string, budget: Budget): boolean | null {
  const a = parseRelation(p);
  const b = parseRelation(g);
  if (!a || !b) return null;
  if (a.op !== b.op) return false;
  const f = parseExpression(`${a.lhs}-(${a.rhs})`, budget);
  const h = parseExpression(`${b.lhs}-(${b.rhs})`, budget);
  return f !== null && h !== null && proportional(f, h, budget, a.op !== "!=");
}
