// Upstream's `math_equal` (spec 7.4, include_percentage and is_close on), made bounded and honest:
// it never hangs (one wall-clock budget per call), reports its own failures as GraderError instead
// of "not equal", and fixes the comparisons upstream gets wrong (comma-joined tuples read as numbers,
// interval brackets ignored, unordered sets, integers within a tolerance).
import { choiceAnswerClean } from "../answer/index.js";
import { Budget, BudgetExceeded } from "./budget.js";
import { isLabel } from "./equation.js";
import { GraderError } from "./graderError.js";
import { numericEqual, parseNumber } from "./number.js";
import { normalizeAnswer } from "./normalize.js";
import { unwrapAnswer } from "./prepare.js";
import { relationToSet, relationsEqual } from "./relations.js";
import { type Bracketed, bracketed, matrixCells, splitTopLevel } from "./structure.js";
import { equationsEqual, symbolicEqual } from "./symbolic.js";

/** Upper bound on one mathEqual call, parsing and sampling included. */
export const MATH_EQUAL_BUDGET_MS = 1500;
const MAX_ITEMS = 64;
/** Answers longer than this are compared as text only: no boxed answer is that long, and walking one costs time. */
const MAX_ANSWER_LENGTH = 2000;

function allPairs(p: string[], g: string[], budget: Budget): boolean {
  return p.length === g.length && p.every((x, i) => equalAnswers(x, g[i]!, budget));
}

/** Same items in any order, each used once; greedy matching is enough since equality is transitive. */
function sameMultiset(p: string[], g: string[], budget: Budget): boolean {
  const used = new Array<boolean>(g.length).fill(false);
  return p.every((x) => {
    const j = g.findIndex((y, k) => !used[k] && equalAnswers(x, y, budget));
    if (j < 0) return false;
    used[j] = true;
    return true;
  });
}

/** Same items in any order, repeats not counted: solution lists and sets, as Math-Verify's FiniteSet. */
function sameSet(p: string[], g: string[], budget: Budget): boolean {
  if (p.length > MAX_ITEMS || g.length > MAX_ITEMS) return false;
  if (p.length === g.length && sameMultiset(p, g, budget)) return true;
  return p.every((x) => g.some((y) => equalAnswers(x, y, budget))) && g.every((y) => p.some((x) => equalAnswers(x, y, budget)));
}

function matricesEqual(p: string, g: string, budget: Budget): boolean {
  const pm = matrixCells(p);
  const gm = matrixCells(g);
  if (pm && gm) {
    return pm.length === gm.length && pm.every((row, i) => allPairs(row, gm[i]!, budget));
  }
  // A column (or row) vector equals the tuple of its entries: (1,2,3) and \begin{pmatrix}1\\2\\3\end{pmatrix}.
  const m = pm ?? gm!;
  const other = bracketed(pm ? g : p);
  if (!other || other.open === "{" || (m.length > 1 && m.some((r) => r.length !== 1))) return false;
  const cells = m.flat();
  return pm ? allPairs(cells, other.items, budget) : allPairs(other.items, cells, budget);
}

/** `a \pm b` is the pair a + b, a - b (one \pm only). */
function plusMinus(s: string): string[] | null {
  const parts = s.split("\\pm");
  return parts.length === 2 ? [`${parts[0]}+${parts[1]}`, `${parts[0]}-${parts[1]}`] : null;
}

/** Items of a set or bare list, for comparing against a \pm pair. */
function listItems(s: string): string[] {
  const b = bracketed(s);
  return b && b.open === "{" ? b.items : splitTopLevel(s, ",");
}

/** "{1,5}\cup{2,7}" is the set {1,5,2,7}; anything else is returned as it is. */
function flattenFiniteUnion(s: string): string {
  const parts = splitTopLevel(s, "\\cup").map(bracketed);
  if (parts.length < 2 || !parts.every((b) => b !== null && b.open === "{" && b.close === "}")) return s;
  return `{${parts.flatMap((b) => b!.items).join(",")}}`;
}

/** An interval, a union of intervals or all reals: what a relation in one variable can equal. */
function isIntervalLike(s: string): boolean {
  return s === "\\mathbb{R}" || splitTopLevel(s, "\\cup").every((part) => bracketed(part) !== null);
}

/** Tuples, intervals, sets and bare lists; null when neither side is one of those. */
function structuresEqual(p: string, g: string, budget: Budget): boolean | null {
  const pb = bracketed(p);
  const gb = bracketed(g);
  const many = (b: Bracketed | null) => b !== null && b.items.length > 1;
  const pBare = splitTopLevel(p, ",");
  const gBare = splitTopLevel(g, ",");
  if (pb && gb) {
    if (pb.open === "{" && gb.open === "{" && pb.close === "}" && gb.close === "}") {
      return sameSet(pb.items, gb.items, budget);
    }
    if (!many(pb) && !many(gb)) return pb.open === gb.open && pb.close === gb.close ? equalAnswers(pb.items[0]!, gb.items[0]!, budget) : null;
    // After normalisation "{1,3}" may be LaTeX grouping of the pair 1,3 rather than a set: against
    // a tuple it compares in order, as Math-Verify does.
    if ((pb.open === "{") !== (gb.open === "{")) return allPairs(pb.items, gb.items, budget);
    return pb.open === gb.open && pb.close === gb.close && allPairs(pb.items, gb.items, budget);
  }
  const one = pb ?? gb;
  if (one) {
    const otherBare = pb ? gBare : pBare;
    if (!many(one)) return otherBare.length === 1 ? equalAnswers(pb ? pb.items[0]! : p, gb ? gb.items[0]! : g, budget) : false;
    if (otherBare.length !== one.items.length) return false;
    if (one.open === "{") return sameSet(pBare.length > 1 ? pBare : one.items, gBare.length > 1 ? gBare : one.items, budget);
    return pb ? allPairs(pb.items, gBare, budget) : allPairs(pBare, gb!.items, budget);
  }
  // One value restated in several forms ("15\frac{39}{40}, \frac{639}{40}") is that value.
  if (pBare.length > 1 && gBare.length === 1) return pBare.every((x) => equalAnswers(x, g, budget));
  if (gBare.length > 1 && pBare.length === 1) return gBare.every((x) => equalAnswers(p, x, budget));
  if (pBare.length > 1 || gBare.length > 1) return sameSet(pBare, gBare, budget);
  const pUnion = splitTopLevel(p, "\\cup");
  const gUnion = splitTopLevel(g, "\\cup");
  if (pUnion.length > 1 || gUnion.length > 1) return sameSet(pUnion, gUnion, budget);
  return null;
}

function equationsMatch(p: string, g: string, budget: Budget): boolean | null {
  const pSides = p.split("=");
  const gSides = g.split("=");
  if (pSides.length === 2 && gSides.length === 2) {
    return equationsEqual(pSides[0]!, pSides[1]!, gSides[0]!, gSides[1]!, budget);
  }
  return null;
}

/** "(a,b)=(4,1)" against "(4,1)": a labelled side states its right side when the other side is not an equation. */
function withoutLabel(s: string, other: string): string {
  const sides = splitTopLevel(s, "=");
  return sides.length === 2 && !other.includes("=") && isLabel(sides[0]!) ? sides[1]!.trim() : s;
}

/** Both sides already normalised. */
function equalAnswers(pred: string, gold: string, budget: Budget): boolean {
  budget.check();
  const p = flattenFiniteUnion(withoutLabel(pred.trim(), gold));
  const g = flattenFiniteUnion(withoutLabel(gold.trim(), pred));
  if (p.toLowerCase() === g.toLowerCase()) return p !== "";
  if (p === "" || g === "") return false;
  if (/^[A-E]$/.test(g) && choiceAnswerClean(p) === g) return true;
  const pn = parseNumber(p);
  const gn = parseNumber(g);
  if (pn !== null && gn !== null) return numericEqual(pn, gn);
  if (matrixCells(p) || matrixCells(g)) return matricesEqual(p, g, budget);
  // A statement about one variable against a set: -2 \le x \le 7 is [-2,7], x \ne 3 is (-\infty,3)\cup(3,\infty).
  const pSet = isIntervalLike(g) ? relationToSet(p) : null;
  const gSet = isIntervalLike(p) ? relationToSet(g) : null;
  if (pSet || gSet) return equalAnswers(pSet ?? p, gSet ?? g, budget);
  const pPm = plusMinus(p);
  const gPm = plusMinus(g);
  if (pPm || gPm) return sameSet(pPm ?? listItems(p), gPm ?? listItems(g), budget);
  const structural = structuresEqual(p, g, budget);
  if (structural !== null) return structural;
  const bare = (s: string) => s.replace(/[{}()]/g, "").toLowerCase();
  if (bare(p) === bare(g)) return true;
  const equation = equationsMatch(p, g, budget);
  if (equation !== null) return equation;
  const relation = relationsEqual(p, g, budget);
  if (relation !== null) return relation;
  return symbolicEqual(p, g, budget);
}

function compare(pred: string, gold: string): boolean {
  if (pred.trim() !== "" && pred.trim().toLowerCase() === gold.trim().toLowerCase()) return true;
  const pu = unwrapAnswer(pred);
  const gu = unwrapAnswer(gold);
  if (pu.length > MAX_ANSWER_LENGTH || gu.length > MAX_ANSWER_LENGTH) return pu.trim() !== "" && pu.trim() === gu.trim();
  const budget = new Budget(MATH_EQUAL_BUDGET_MS);
  if (equalAnswers(normalizeAnswer(pu), normalizeAnswer(gu), budget)) return true;
  // Normalising drops "y=" from "y = 2x + 3", which loses the equation 2x + 4y - 3 = 0 it names.
  const pSides = pu.split("=");
  const gSides = gu.split("=");
  if (pSides.length !== 2 || gSides.length !== 2) return false;
  return equationsEqual(pSides[0]!, pSides[1]!, gSides[0]!, gSides[1]!, budget);
}

/**
 * Whether a predicted answer equals the reference answer: same text after normalisation, same
 * number (exactly for integers; relative tolerance 1e-4 when a decimal fraction is written;
 * percent forms x, x/100, x*100), same tuple/interval/set/matrix element by element, same
 * equation or relation, or the same value/function when evaluated. Synchronous and bounded by
 * {@link MATH_EQUAL_BUDGET_MS}: running out of time is "not equal". Null or undefined is never equal.
 * @throws GraderError when the comparison itself fails (a grader bug, never the answer's fault).
 */
export function mathEqual(pred: string | null | undefined, gold: string | null | undefined): boolean {
  if (pred === null || pred === undefined || gold === null || gold === undefined) return false;
  const p = String(pred);
  const g = String(gold);
  try {
    return compare(p, g);
  } catch (e) {
    if (e instanceof BudgetExceeded) return false;
    throw new GraderError(p, g, e);
  }
}
