// Reading plain numbers the way upstream's `parse_digits` does (Python float(), then a trailing
// percent sign), except for commas and underscores: upstream deletes every comma, so the pair "1,2"
// read as twelve, and float() reads "1112122_3" (base 3) as 11121223. A comma is accepted only as a
// thousands separator (1,000 or 1{,}000); an underscore is a subscript, never a digit separator.

const DIGITS = "[0-9]+";
const PY_FLOAT = new RegExp(
  `^[+-]?(?:(?:${DIGITS})?\\.${DIGITS}(?:[eE][+-]?${DIGITS})?|${DIGITS}\\.?(?:[eE][+-]?${DIGITS})?|inf(?:inity)?|nan)$`,
  "i",
);
const GROUPED = /^[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?$/;

/** Python float() of a string (without "_" separators), or null where Python raises. */
export function pythonFloat(text: string): number | null {
  const s = text.normalize("NFKC").trim();
  if (!PY_FLOAT.test(s)) return null;
  const lower = s.toLowerCase();
  if (lower.includes("nan")) return Number.NaN;
  if (lower.includes("inf")) return lower.startsWith("-") ? -Infinity : Infinity;
  return Number.parseFloat(lower);
}

function plainOrGrouped(text: string): number | null {
  const s = text.replaceAll("{,}", ",").trim();
  if (s.includes(",")) return GROUPED.test(s) ? Number.parseFloat(s.replace(/,/g, "")) : null;
  return pythonFloat(s);
}

/** A plain number ("3.50", "1,000", "1e-3", "25%", "25\%"), or null when the text is anything else. */
export function parseNumber(text: string): number | null {
  const value = plainOrGrouped(text);
  if (value !== null) return value;
  let s = text.trim();
  if (!s.endsWith("%")) return null;
  s = s.slice(0, -1);
  if (s.endsWith("\\")) s = s.slice(0, -1);
  const percent = plainOrGrouped(s);
  return percent === null ? null : percent / 100;
}

/** Python math.isclose with only a relative tolerance (so 0 equals only 0). */
export function isClose(a: number, b: number, relTol = 1e-4): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= relTol * Math.max(Math.abs(a), Math.abs(b));
}

/** Upstream's include_percentage rule: pred may equal ref, ref/100 or ref*100. */
export function numericEqual(pred: number, ref: number): boolean {
  return [ref / 100, ref, ref * 100].some((r) => isClose(pred, r));
}
