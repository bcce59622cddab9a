// What mathEqual does to each side before upstream's normalisation (stripAnswerString), which
// handlers already apply: mathEqual unwraps answers itself so that raw references (omni_math,
// liveaops), "$...$"-wrapped or \boxed{} answers and typeset spacing compare as the answers they are.
import { lastBoxed } from "./boxed.js";

const MATH_WRAPPERS: ReadonlyArray<readonly [string, string]> = [["$$", "$$"], ["$", "$"], ["\\(", "\\)"], ["\\[", "\\]"]];
// Thin spaces and digit-group braces: 1\,000 and 1{,}000 are 1,000.
// Not after a backslash: a double backslash (matrix row break) may be followed by a space.
const TYPESET_SPACING = /(?<!\\)\\[,;:! ]|~|\\(?:displaystyle|textstyle|quad|qquad)/g;
const TRAILING_UNIT_COMMAND = /\\(?:mathrm|textrm|textbf|textnormal|textit|mbox|operatorname)\{[^{}]*\}$/;
// Upstream reads ">=" as an equation with left side "x>" (step 21); spell relations as LaTeX first.
const ASCII_RELATIONS: ReadonlyArray<readonly [string, string]> = [[">=", "\\ge "], ["<=", "\\le "], ["!=", "\\ne "]];
const REPEATING = /(\d*)\.(\d*)\\overline\{(\d+)\}/g;
const UNIT_WORDS = new Set([
  "cm", "m", "km", "mm", "kg", "g", "mg", "s", "sec", "seconds", "second", "min", "minutes", "minute",
  "h", "hr", "hrs", "hour", "hours", "day", "days", "week", "weeks", "year", "years", "units", "unit",
  "dollars", "dollar", "cents", "cent", "degrees", "degree", "inches", "inch", "feet", "foot", "ft",
  "meters", "meter", "metres", "metre", "miles", "mile", "mph", "sq", "square", "cubic", "people",
  "percent", "percentage", "pct",
  // lm-eval minerva_math's removed expressions
  "ways", "integers", "points", "digits", "pounds", "meals", "edges", "students", "multiples",
]);
const WHOLE_TEXT = /^\\(?:text|textnormal|mathrm|mbox)\{([^{}]*)\}$/;
const NUMBER_THEN_WORDS = /^(-?[0-9][0-9.,]*)\s*([a-zA-Z][a-zA-Z ^{}0-9]*)$/;

function unwrapMath(s: string): string {
  for (const [open, close] of MATH_WRAPPERS) {
    if (s.length > open.length + close.length && s.startsWith(open) && s.endsWith(close)) {
      return s.slice(open.length, -close.length).trim();
    }
  }
  return s;
}

/** 0.1\overline{6} -> \frac{1}{6}: upstream's "12.00 -> 12" step would otherwise eat the point. */
function repeatingToFraction(_m: string, whole: string, fixed: string, rep: string): string {
  const den = (10n ** BigInt(rep.length) - 1n) * 10n ** BigInt(fixed.length);
  const num = BigInt(`${whole}${fixed}${rep}` || "0") - BigInt(`${whole}${fixed}` || "0");
  return `\\frac{${num}}{${den}}`;
}

/** "5 cm", "12 square units": a number followed only by unit words is the number. */
function dropUnitWords(s: string): string {
  const m = NUMBER_THEN_WORDS.exec(s);
  if (!m) return s;
  const words = m[2]!.replace(/\^\{?\d\}?/g, "").trim().split(/\s+/);
  return words.every((w) => UNIT_WORDS.has(w.toLowerCase())) ? m[1]! : s;
}

/** One side of a comparison before upstream's normalisation: boxed, math delimiters, spacing, units. */
export function unwrapAnswer(raw: string): string {
  let s = raw.trim();
  const boxed = lastBoxed(s);
  if (boxed !== null && boxed.trim() !== "") s = boxed.trim();
  s = unwrapMath(s).replace(/(?<!\\)\$/g, "").trim();
  // Sentence punctuation written inside the math: "$\frac{1}{3},$".
  s = s.replace(/\s*[,;]$/, "");
  s = s.replaceAll("{,}", ",").replace(TYPESET_SPACING, " ").trim();
  for (const [ascii, latex] of ASCII_RELATIONS) s = s.replaceAll(ascii, latex);
  s = s.replaceAll("\\varnothing", "\\emptyset").replace(REPEATING, repeatingToFraction);
  s = s.replace(/^\+(?!\+)/, "").replace(WHOLE_TEXT, (whole, inner: string) => (/^[-\d]/.test(inner.trim()) ? inner.trim() : whole));
  const withoutUnit = s.replace(TRAILING_UNIT_COMMAND, "").trim();
  if (withoutUnit !== "") s = withoutUnit;
  return dropUnitWords(s);
}

