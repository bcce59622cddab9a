// What an equation-shaped answer states. A left side that only names something ("x", "f(x)",
// "(a,b)", "|AB|", "V_1:V_2", "\frac{NO}{BO}") is a label, and the answer is its right side, as in
// Math-Verify's assignment rule (but "a + y = 7" is an equation, not a label); a chain
// "y = 2+3+4 = 9" states its last side; "\frac27 \approx 0.29" states its exact side.
import { splitTopLevel } from "./structure.js";

const NAME = String.raw`(?:\\[a-zA-Z]+|[A-Za-z]+)(?:_\{?[A-Za-z0-9\\]+\}?|_[A-Za-z0-9])?'*`;
const ARGUMENT = String.raw`(?:${NAME}|-?[0-9]+)`;
const LABEL_FORMS = [
  NAME,
  String.raw`${NAME}\(\s*${ARGUMENT}(?:\s*,\s*${ARGUMENT})*\s*\)`,
  String.raw`\(\s*${NAME}(?:\s*,\s*${NAME})+\s*\)`,
  String.raw`\|\s*${NAME}\s*\|`,
  String.raw`${NAME}\s*[:/]\s*${NAME}`,
  String.raw`\\frac\{${NAME}\}\{${NAME}\}`,
];
const LABEL = new RegExp(`^\\s*(?:${LABEL_FORMS.join("|")})\\s*$`);
const APPROX = ["\\approx", "≈", "\\simeq"];
/** Commands that make a side arithmetic rather than algebra ("5! = 120", "\frac{6}{2} = 3"). */
const ARITHMETIC_COMMANDS = /\\(?:frac|dfrac|tfrac|sqrt|cdots?|ldots|times|div|left|right|binom|dbinom|tbinom|circ)/g;

/** Whether `lhs` only names something, so that "lhs = value" states the value. */
export function isLabel(lhs: string): boolean {
  return LABEL.test(lhs.replace(/\\left|\\right/g, ""));
}

const hasLetters = (s: string) => /[a-zA-Z]/.test(s.replace(ARITHMETIC_COMMANDS, ""));

/** The exact side of an approximation: "\frac27 \approx 0.29" -> "\frac27", "x \approx 11" -> "11". */
function exactSide(s: string): string {
  for (const symbol of APPROX) {
    const parts = splitTopLevel(s, symbol);
    if (parts.length < 2) continue;
    const first = parts[0]!.trim();
    return first === "" || isLabel(first) ? parts[1]!.trim() : first;
  }
  return s;
}

/** statedAnswer of one list item. */
function statedItem(raw: string): string {
  const s = exactSide(raw);
  const sides = splitTopLevel(s, "=");
  if (sides.length < 2 || sides.some((x) => x.trim() === "")) return s;
  const first = sides[0]!.trim();
  const last = sides[sides.length - 1]!.trim();
  if (sides.length === 2) return hasLetters(first) || hasLetters(last) ? s : last;
  return isLabel(first) ? `${first} = ${last}` : last;
}

/**
 * The answer an equation-shaped string states, item by item for a list: "y = 2+3+4 = 9" -> "y = 9",
 * "1 = 2-1 = 0" -> "0", "5! = 120" -> "120", "\frac27 \approx 0.29" -> "\frac27"; anything else unchanged.
 */
export function statedAnswer(raw: string): string {
  if (!/[=≈]|\\approx|\\simeq/.test(raw)) return raw;
  const items = splitTopLevel(raw, ",");
  if (items.length === 1) return statedItem(raw);
  const stated = items.map((item) => statedItem(item.trim()));
  return stated.every((x, i) => x === items[i]!.trim()) ? raw : stated.join(",");
}
