// Upstream's `strip_answer_string` (spec 7.2), step by step and with Python regex semantics
// (Unicode \d and \w), except where upstream is wrong: see docs/differences-scoring.md.
import { wordToNumber } from "./word2number.js";

const PY_D = "\\p{Nd}";
const PY_W = "[\\p{L}\\p{N}_]";

const TEXT_WORD = /\\text\{([a-zA-Z]+)\}/g;
const TRAILING_TEXT = /\\text\{[^\n]*?\}$/;
const TEXT_GROUP = /\\text\{([^\n]*?)\}/g;
const MBOX = /\\mbox\{[^\n]*?\}/g;
// Upstream removes "x=" anywhere, which turns "2x=4" into "24" and "a + y = 7" into "a+7"; we
// remove it only where a variable assignment starts (string start, after a separator or an opening
// bracket), never after a space inside an equation.
const VAR_PREFIX = /(^|[,;([{])(\s*)[xyz]\s*(?:=|\\in|\\to)/g;
// Upstream deletes "and" inside words too ("Sandy" -> "Sy"); we delete the word only.
const AND_WORD = /(?<![A-Za-z])and(?![A-Za-z])/g;
const ZERO_DECIMALS = new RegExp(`(${PY_D}+)\\.0*([^${PY_D}])`, "gu");
const ZERO_DECIMALS_END = new RegExp(`(${PY_D}+)\\.0*$`, "u");
const SQRT_WORD = new RegExp(`\\\\sqrt(${PY_W}+)`, "gu");
// Not after another backslash: upstream also ate the row separator of "\\begin{pmatrix}1\\\\2...".
const BACKSLASH_BEFORE_INT = new RegExp(`(?<!\\\\)\\\\(?=-?${PY_D}+(\\\\|\\)|,|\\]|$))`, "gu");
const INT_LIST = /^(\s*-?[0-9]+\s*,)*\s*-?[0-9]+\s*$/;
const THOUSANDS = /^-?[0-9]{1,3}(,[0-9]{3})+$/;
const SLASH_INT = /^(0|-?[1-9][0-9]*)$/;
const PLUS_INFINITY = /(^|[,;([{\s])\+\s*\\infty/g;

/** `_fix_fracs`: `\frac12` -> `\frac{1}{2}`, `\frac1{72}` -> `\frac{1}{72}`. */
export function fixFracs(s: string): string {
  const pieces = s.split("\\frac");
  let out = pieces[0]!;
  for (const piece of pieces.slice(1)) {
    out += "\\frac";
    if (piece.startsWith("{")) {
      out += piece;
      continue;
    }
    const chars = [...piece];
    if (chars.length < 2) return s;
    const [a, b] = chars as [string, string];
    const rest = chars.slice(2).join("");
    out += b !== "{" ? `{${a}}{${b}}${rest}` : `{${a}}${b}${rest}`;
  }
  return out;
}

/** `_fix_a_slash_b`: `3/4` -> `\frac{3}{4}` when both sides are plain integers (or contain sqrt). */
function fixSlash(s: string): string {
  const parts = s.split("/");
  if (parts.length !== 2) return s;
  const [a, b] = parts as [string, string];
  const ok = (x: string) => x.includes("sqrt") || SLASH_INT.test(x);
  return ok(a) && ok(b) ? `\\frac{${a}}{${b}}` : s;
}

/**
 * Step 21 drops a left side of at most two characters ("k = 5" -> "5"); upstream dropped numbers
 * too, so "7 = 11a + c" became "11a + c". Only a name is dropped here.
 */
function isShortName(lhs: string): boolean {
  return [...lhs].length <= 2 && /^\s*\p{L}[\p{L}\p{N}_']?\s*$/u.test(lhs);
}

/** Step 23 removes all spaces, but "\cos a" must not become the unknown command "\cosa". */
function removeSpaces(s: string): string {
  return s.replace(/(\\[a-zA-Z]+)? +(?=([a-zA-Z])?)/g, (_m, command?: string, next?: string) =>
    command && next ? `${command} ` : (command ?? ""));
}

/** Step 28 reads `1,000` as one thousand (upstream sorted it into "0,1"). */
function collapseThousands(s: string): string {
  return THOUSANDS.test(s.trim()) ? s.trim().replace(/,/g, "") : s;
}

/** Step 28: upstream sorts integer lists ("3,2,10,-1" -> "-1,2,3,10"). */
function sortIntegerList(s: string): string {
  if (!INT_LIST.test(s)) return s;
  const values = s.split(",").map((x) => BigInt(x.trim()));
  values.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  return values.join(",");
}

/** Step 16, plus "∞" and a signed "+\\infty" endpoint (upstream's "+\\inity" typo never matched one). */
function replaceInfinity(s: string): string {
  s = s.replaceAll("infinity", "\\infty").replaceAll("∞", "\\infty");
  if (!s.includes("\\infty")) s = s.replaceAll("inf", "\\infty");
  return s.replace(PLUS_INFINITY, "$1\\infty");
}

/**
 * Upstream's normalisation (spec 7.2, fixed) without its last step, the sorting of integer lists:
 * mathEqual keeps the order so that a bare pair can still be compared with an ordered tuple.
 */
export function normalizeAnswer(input: string): string {
  let s = String(input).trim().replaceAll("\n", "").replace(/\.+$/, "").replaceAll("\\!", "");
  s = s.replace(/\\begin\{array\}\{[^\n]*?\}/g, "\\begin{pmatrix}").replace(/\\end\{array\}/g, "\\end{pmatrix}");
  s = s.replaceAll("bmatrix", "pmatrix");
  s = s.replaceAll("tfrac", "frac").replaceAll("dfrac", "frac");
  s = s.replaceAll("\\neq", "\\ne").replaceAll("\\leq", "\\le").replaceAll("\\geq", "\\ge");
  s = s.replaceAll("\\left", "").replaceAll("\\right", "").replaceAll("\\{", "{").replaceAll("\\}", "}");
  s = s.replace(TEXT_WORD, (whole, word: string) => wordToNumber(word.toLowerCase()) ?? whole);
  s = s.replace(/(cm|inches)\}\^2/g, "$1}");
  const withoutUnit = s.replace(TRAILING_TEXT, "").trim();
  if (withoutUnit !== "" && withoutUnit !== s) s = withoutUnit;
  s = s.replaceAll("^{\\circ}", "").replaceAll("^\\circ", "");
  s = s.replaceAll("\\$", "").replaceAll("$", "").replaceAll("\\(", "").replaceAll("\\)", "");
  s = wordToNumber(s) ?? s;
  s = s.replace(TEXT_GROUP, "$1");
  s = s.replace(VAR_PREFIX, "$1");
  s = s.replaceAll("\\emptyset", "{}");
  s = s.replaceAll("\\%", "").replaceAll("%", "");
  s = s.replaceAll(" .", " 0.").replaceAll("{.", "{0.");
  s = replaceInfinity(s);
  s = s.replace(AND_WORD, "").replaceAll("\\mathbf", "").replace(MBOX, "");
  if (s.includes("j") && !s.includes("i")) s = s.replaceAll("j", "i");
  s = s.replace(ZERO_DECIMALS, "$1$2").replace(ZERO_DECIMALS_END, "$1");
  if (s.length === 0) return "";
  if (s.startsWith(".")) s = "0" + s;
  const sides = s.split("=");
  if (sides.length === 2 && isShortName(sides[0]!)) s = sides[1]!;
  s = s.replace(SQRT_WORD, "\\sqrt{$1}");
  s = removeSpaces(s);
  s = fixFracs(s);
  s = fixSlash(s);
  s = s.replace(BACKSLASH_BEFORE_INT, "");
  // Step 12, after spaces and signed infinities are gone so that "(-\\infty, +\\infty)" is caught too.
  s = s.replaceAll("(-\\infty,\\infty)", "\\mathbb{R}");
  if (s.endsWith("thgrade")) s = s.slice(0, -"thgrade".length);
  return collapseThousands(s);
}

/** Normalise an answer string the way upstream does before comparing (spec 7.2, fixed). */
export function stripAnswerString(input: string): string {
  return sortIntegerList(normalizeAnswer(input));
}
