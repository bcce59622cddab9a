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

/** Whether two relation strings state the same inequality; null when either is not one. */
export function relationsEqual(p: string, g: string, budget: Budget): boolean | null {
  const a = parseRelation(p);
  const b = parseRelation(g);
  if (!a || !b) return null;
  if (a.op !== b.op) return false;
  const f = parseExpression(`${a.lhs}-(${a.rhs})`);
  const h = parseExpression(`${b.lhs}-(${b.rhs})`);
  return f !== null && h !== null && proportional(f, h, budget, a.op !== "!=");
}
