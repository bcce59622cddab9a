// Inequalities as answers (x \ge 5, 5 \le x, -x > -1). Upstream had no notion of them beyond
// string equality; two inequalities are the same when, written as f < 0 (or f <= 0, f != 0), their
// f agree up to a positive factor (any nonzero factor for !=). A statement about one variable is
// also the set it describes (0 < f(x) < 1, x \ne 3, x < 2 or x > 3), to compare with intervals.
import type { Budget } from "./budget.js";
import { isLabel } from "./equation.js";
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

// Commands that start like a relation but are not one ("\left" is not "\le" + "ft"); any other
// letters after a relation command are a variable written without a space ("\lex" is "\le x").
const OTHER_COMMAND = /^\\(?:left|leftarrow|leftrightarrow|leadsto|less[a-z]*|gets|gtr[a-z]*|neg|nearrow|newline|nexists|ltimes)(?![a-zA-Z])/;
// "x<2 \text{ or } x>3", "$-5\le x\le1$ or $3\le x\le9$": a disjunction of relations.
const OR_WORD = /\s*(?:\\text\s*\{\s*or\s*\}|\\(?:lor|vee|cup)(?![a-zA-Z])|∨|(?<![A-Za-z])or(?![A-Za-z]))\s*/g;
const DISJUNCTION = "\\lor";

/** Every relation symbol in `s` with its position, longest spelling first at each position. */
function relationTokens(s: string): Array<{ at: number; end: number; op: Op; flipped: boolean }> {
  const found: Array<{ at: number; end: number; op: Op; flipped: boolean }> = [];
  for (let i = 0; i < s.length; i++) {
    const hit = RELATIONS.find(([symbol]) => s.startsWith(symbol, i));
    if (!hit || (hit[0].startsWith("\\") && OTHER_COMMAND.test(s.slice(i)))) continue;
    found.push({ at: i, end: i + hit[0].length, op: hit[1], flipped: hit[2] });
    i += hit[0].length - 1;
  }
  return found;
}

/** The thing a one-variable inequality constrains: a name ("x", "f(x)", "a_1") or |name|. */
function variableOf(part: string): { abs: boolean } | null {
  const abs = /^\|(.*)\|$/.exec(part);
  if (abs && isLabel(abs[1]!)) return { abs: true };
  return isLabel(part) && !/[:/]|\\frac/.test(part) ? { abs: false } : null;
}

/** lo <= |v| <= hi as the set of v: [-hi, -lo] \cup [lo, hi], one interval when it reaches 0. */
function absoluteInterval(lo: string, hi: string, open: string, close: string): string {
  const mirror = (x: string) => (x.startsWith("-") ? x.slice(1) : `-${x}`);
  const mirroredClose = close === "]" ? "[" : "(";
  if (lo === "0" && open === "[") return `${mirroredClose}${mirror(hi)},${hi}${close}`;
  return `${mirroredClose}${mirror(hi)},${mirror(lo)}${open === "[" ? "]" : ")"}\\cup${open}${lo},${hi}${close}`;
}

/**
 * The interval an inequality in one variable describes: "-2 \le x \le 7" -> "[-2,7]",
 * "x > 3" -> "(3,\infty)", "0<f(x)<1" -> "(0,1)", "1 \le |z| \le 2" -> "[-2,-1]\cup[1,2]". Null for anything else.
 */
function relationToInterval(s: string): string | null {
  const tokens = relationTokens(s);
  if (tokens.length === 0 || tokens.length > 2 || tokens.some((t) => t.op === "!=")) return null;
  const parts = [0, ...tokens.map((t) => t.end)].map((from, k) => s.slice(from, tokens[k]?.at ?? s.length).trim());
  const open = (t: { op: Op }) => (t.op === "<" ? "(" : "[");
  const close = (t: { op: Op }) => (t.op === "<" ? ")" : "]");
  if (tokens.length === 2) {
    const [t1, t2] = tokens as [(typeof tokens)[0], (typeof tokens)[0]];
    const variable = variableOf(parts[1]!);
    if (t1.flipped !== t2.flipped || !variable) return null;
    const [lo, hi, tl, th] = t1.flipped ? [parts[2]!, parts[0]!, t2, t1] : [parts[0]!, parts[2]!, t1, t2];
    return variable.abs ? absoluteInterval(lo, hi, open(tl), close(th)) : `${open(tl)}${lo},${hi}${close(th)}`;
  }
  const t = tokens[0]!;
  const [left, right] = parts as [string, string];
  const leftVariable = variableOf(left);
  const rightVariable = variableOf(right);
  // Reading x < a (variable on the left) or a < x (on the right); "flipped" means > or >=.
  const upper = leftVariable ? !t.flipped : rightVariable ? t.flipped : null;
  if (upper === null || (leftVariable ?? rightVariable)!.abs) return null;
  const bound = leftVariable ? right : left;
  return upper ? `(-\\infty,${bound}${close(t)}` : `${open(t)}${bound},\\infty)`;
}

/** "x \ne 3" -> "(-\infty,3)\cup(3,\infty)"; null when `s` is not "variable \ne value". */
function exclusionToSet(s: string): string | null {
  const tokens = relationTokens(s);
  if (tokens.length !== 1 || tokens[0]!.op !== "!=") return null;
  const left = s.slice(0, tokens[0]!.at).trim();
  const right = s.slice(tokens[0]!.end).trim();
  const value = variableOf(left) ? right : variableOf(right) ? left : null;
  return value === null || value === "" ? null : `(-\\infty,${value})\\cup(${value},\\infty)`;
}

/** Relations joined by "or" (\text{or}, \lor, \vee, \cup) marked with \lor, which normalisation keeps. */
export function markDisjunction(s: string): string {
  if (!/or|\\lor|\\vee|\\cup|∨/.test(s)) return s;
  const parts = s.split(OR_WORD).map((x) => x.trim());
  if (parts.length < 2 || !parts.every((x) => x !== "" && relationTokens(x).length > 0)) return s;
  return parts.join(` ${DISJUNCTION} `);
}

/**
 * The set of values a statement about one variable allows, as intervals joined by \cup: an
 * inequality, a chain of two, an exclusion (\ne), or a disjunction of those. Null otherwise.
 */
export function relationToSet(s: string): string | null {
  const parts = s.split(DISJUNCTION).map((x) => x.trim());
  const sets = parts.map((x) => relationToInterval(x) ?? exclusionToSet(x));
  return sets.every((x) => x !== null) ? sets.join("\\cup") : null;
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
