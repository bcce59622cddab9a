// What mathEqual does to each side before upstream's normalisation (normalizeAnswer): it unwraps
// answers itself so that raw references (omni_math, liveaops), "$...$"-wrapped or \boxed{} answers,
// formatting, typeset spacing, currency, units and list words compare as the answers they are.
import { lastBoxed, stripEmphasis, unwrapFontCommands } from "../answer/index.js";
import { statedAnswer } from "./equation.js";
import { markDisjunction } from "./relations.js";
import { splitTopLevel, topLevelReplace } from "./structure.js";
import { dropCurrency, dropUnitCommand, dropUnitWords } from "./units.js";
import { wordToNumber } from "./word2number.js";

const MATH_WRAPPERS: ReadonlyArray<readonly [string, string]> = [["$$", "$$"], ["$", "$"], ["\\(", "\\)"], ["\\[", "\\]"]];
// Thin spaces and digit-group braces: 1\,000 and 1{,}000 are 1,000.
// Not after a backslash: a double backslash (matrix row break) may be followed by a space.
const TYPESET_SPACING = /(?<!\\)\\[,;:! ]|~|\\(?:displaystyle|textstyle|quad|qquad)/g;
// "4 \text{ and } -1", "1 and 2 or 3", "$21,16$ or $11$", "(11,7)or(7,11)": list words between items.
const LIST_WORD =
  /\s*,?\s*(?:\\(?:text|textrm|mbox|textnormal)\s*\{\s*(?:and|or)\s*\}|(?<=\S)\s+(?:and|or)\s+(?=\S)|(?<=[)\]}])\s*(?:and|or)\s*(?=[([{]))\s*/g;
const ITEM_BREAK = "\u0001";
// Upstream reads ">=" as an equation with left side "x>" (step 21); spell relations as LaTeX first.
const ASCII_RELATIONS: ReadonlyArray<readonly [string, string]> = [[">=", "\\ge "], ["<=", "\\le "], ["!=", "\\ne "]];
const REPEATING = /(\d*)\.(\d*)\\overline\{(\d+)\}/g;
// "t \in [2,5)", "k \in \{1,2\}": a variable's membership states the set.
const MEMBERSHIP = /^\s*(?:[A-Za-z]|\\[a-zA-Z]+)(?:_\{?\w+\}?)?\s*\\in(?![a-zA-Z])\s*/;
const WHOLE_TEXT = /^\\(?:text|textnormal|mathrm|mbox)\{([^{}]*)\}$/;

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

/**
 * "4 \text{ and } -1" -> "4, -1" and "-12;-11" -> "-12,-11", outside brackets only; solutions that
 * are themselves lists of values become tuples: "p=5,q=2;p=7,q=2" -> "(p=5,q=2),(p=7,q=2)".
 */
function listWordsToCommas(s: string): string {
  if (!/and|or|;/.test(s) || wordToNumber(s) !== null) return s;
  const parts = topLevelReplace(topLevelReplace(s, LIST_WORD, ITEM_BREAK), /;/g, ITEM_BREAK).split(ITEM_BREAK).map((x) => x.trim());
  if (parts.length > 1 && parts.every((x) => x.includes("=") && splitTopLevel(x, ",").length > 1)) {
    return parts.map((x) => `(${x})`).join(",");
  }
  return parts.join(", ").replace(/;/g, ",").replace(/,(\s*,)+/g, ",");
}

/** One side of a comparison before upstream's normalisation: boxed, math delimiters, spacing, units. */
export function unwrapAnswer(raw: string): string {
  let s = raw.trim();
  const boxed = lastBoxed(s);
  if (boxed !== null && boxed.trim() !== "") s = boxed.trim();
  s = unwrapMath(stripEmphasis(s).trim()).replace(/(?<!\\)\$/g, "").trim();
  // Sentence punctuation written inside the math: "$\frac{1}{3},$".
  s = s.replace(/\s*[,;]$/, "");
  s = s.replaceAll("{,}", ",").replace(TYPESET_SPACING, " ").trim();
  for (const [ascii, latex] of ASCII_RELATIONS) s = s.replaceAll(ascii, latex);
  s = s.replaceAll("\\varnothing", "\\emptyset").replace(REPEATING, repeatingToFraction);
  s = s.replace(/^\+(?!\+)/, "").replace(WHOLE_TEXT, (whole, inner: string) => (/^[-\d]/.test(inner.trim()) ? inner.trim() : whole));
  s = unwrapFontCommands(dropUnitCommand(dropCurrency(s)));
  s = statedAnswer(listWordsToCommas(markDisjunction(s.replace(MEMBERSHIP, ""))));
  return dropUnitWords(dropCurrency(s));
}
