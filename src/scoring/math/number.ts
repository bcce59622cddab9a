// Reading plain numbers the way upstream's `parse_digits` does (Python float(), then a trailing
// percent sign), except for commas and underscores: upstream deletes every comma, so the pair "1,2"
// read as twelve, and float() reads "1112122_3" (base 3) as 11121223. A comma is accepted only as a
// thousands separator (1,000 or 1{,}000); an underscore is a subscript, never a digit separator.
// Each number keeps the exact rational it writes, so integers compare exactly (19999 is not 20,000)
// and only a written decimal fraction gets upstream's relative tolerance.

const DIGITS = "[0-9]+";
const PY_FLOAT = new RegExp(
  `^[+-]?(?:(?:${DIGITS})?\\.${DIGITS}(?:[eE][+-]?${DIGITS})?|${DIGITS}\\.?(?:[eE][+-]?${DIGITS})?|inf(?:inity)?|nan)$`,
  "i",
);
const GROUPED = /^[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?$/;
const DECIMAL = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/;
/** Upstream's isclose(rel_tol=1e-4), for numbers written with a decimal fraction. */
const RELATIVE_TOLERANCE = 1e-4;

/** A number as written: its value, the exact rational it spells, and whether it is a rounded decimal. */
export type WrittenNumber = {
  value: number;
  /** num/den exactly (2.50 -> 5/2, 25% -> 1/4); null for inf and nan. */
  exact: { num: bigint; den: bigint } | null;
  /** Written with a nonzero fractional digit (3.14, 12.5%): possibly rounded, so compared with tolerance. */
  rounded: boolean;
};

/** Python float() of a string (without "_" separators), or null where Python raises. */
export function pythonFloat(text: string): number | null {
  const s = text.normalize("NFKC").trim();
  if (!PY_FLOAT.test(s)) return null;
  const lower = s.toLowerCase();
  if (lower.includes("nan")) return Number.NaN;
  if (lower.includes("inf")) return lower.startsWith("-") ? -Infinity : Infinity;
  return Number.parseFloat(lower);
}

/** The written number of a float() string: exact rational for decimal forms, null exact for inf/nan. */
function written(text: string, value: number): WrittenNumber {
  const m = DECIMAL.exec(text.normalize("NFKC").trim());
  if (!m) return { value, exact: null, rounded: false };
  const [, sign, whole, fraction = "", exponent = "0"] = m as unknown as [string, string, string, string | undefined, string | undefined];
  const exp = Number(exponent);
  // Exponents this large are not answers anyone writes; the float value is enough for them.
  if (Math.abs(exp) > 400) return { value, exact: null, rounded: /[1-9]/.test(fraction) };
  let num = BigInt(`${whole}${fraction}` || "0");
  let den = 10n ** BigInt(fraction.length);
  if (exp > 0) num *= 10n ** BigInt(exp);
  else den *= 10n ** BigInt(-exp);
  return { value, exact: { num: sign === "-" ? -num : num, den }, rounded: /[1-9]/.test(fraction) };
}

function plainOrGrouped(text: string): WrittenNumber | null {
  const s = text.replaceAll("{,}", ",").trim();
  if (s.includes(",")) return GROUPED.test(s) ? written(s.replace(/,/g, ""), Number.parseFloat(s.replace(/,/g, ""))) : null;
  const value = pythonFloat(s);
  return value === null ? null : written(s, value);
}

/** A plain number ("3.50", "1,000", "1e-3", "25%", "25\%"), or null when the text is anything else. */
export function parseNumber(text: string): WrittenNumber | null {
  const plain = plainOrGrouped(text);
  if (plain !== null) return plain;
  let s = text.trim();
  if (!s.endsWith("%")) return null;
  s = s.slice(0, -1);
  if (s.endsWith("\\")) s = s.slice(0, -1);
  const percent = plainOrGrouped(s);
  if (percent === null) return null;
  return {
    value: percent.value / 100,
    exact: percent.exact && { num: percent.exact.num, den: percent.exact.den * 100n },
    rounded: percent.rounded,
  };
}

/** Python math.isclose with only a relative tolerance (so 0 equals only 0). */
export function isClose(a: number, b: number, relTol = RELATIVE_TOLERANCE): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= relTol * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * Upstream's include_percentage rule: pred may equal ref, ref/100 or ref*100. Exactly when both are
 * written without a decimal fraction; within upstream's relative tolerance 1e-4 otherwise.
 */
export function numericEqual(pred: WrittenNumber, ref: WrittenNumber): boolean {
  const p = pred.exact;
  const r = ref.exact;
  if (p && r && !pred.rounded && !ref.rounded) {
    const scales: Array<[bigint, bigint]> = [[1n, 1n], [1n, 100n], [100n, 1n]];
    return scales.some(([times, over]) => p.num * r.den * over === r.num * times * p.den);
  }
  return [ref.value / 100, ref.value, ref.value * 100].some((x) => isClose(pred.value, x));
}
