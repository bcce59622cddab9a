// Units and currency around a number are not part of its value: "\$5", "2,500.75€", "12\text{ cm}^2",
// "5 cm", "12 square units". Only known unit words are dropped after a bare number ("6 apples" stays
// text), but any words in a text command after a value are a unit.

// A unit in a text command after the value ("\text{ cm}^2", "\mathrm{m/s}", "\textbf{meters}"): words, no digits.
const TRAILING_UNIT_COMMAND =
  /\s*\\(?:text|mathrm|textrm|textbf|textnormal|textit|mbox|operatorname)\s*\{\s*[^{}\d]*[a-zA-Z°][^{}\d]*\}(?:\s*\^\s*\{?\s*[23]\s*\}?|[²³])?$/;
const CURRENCY = String.raw`(?:\\\$|[€£¥₹]|\\(?:euro|pounds|yen)\b|\\text\{\s*[€£¥₹]\s*\})`;
const LEADING_CURRENCY = new RegExp(`^(-?)\\s*${CURRENCY}\\s*(?=[-+]?\\.?[0-9])`);
const TRAILING_CURRENCY = new RegExp(`(?<=[0-9.])\\s*${CURRENCY}$`);
const UNIT_WORDS = new Set([
  "cm", "m", "km", "mm", "kg", "g", "mg", "s", "sec", "seconds", "second", "min", "minutes", "minute",
  "h", "hr", "hrs", "hour", "hours", "day", "days", "week", "weeks", "year", "years", "units", "unit",
  "dollars", "dollar", "cents", "cent", "degrees", "degree", "inches", "inch", "feet", "foot", "ft",
  "meters", "meter", "metres", "metre", "miles", "mile", "mph", "sq", "square", "cubic", "people",
  "percent", "percentage", "pct", "euros", "euro", "yuan", "rupees", "liters", "litres", "liter", "litre", "l", "ml",
  "grams", "gram", "kilograms", "kilometers", "kilometres", "centimeters", "centimetres", "millimeters", "mins", "secs",
  "kmph", "kmh", "gallon", "gallons", "gal", "acre", "acres", "lb", "lbs", "yard", "yards", "months", "month",
  // lm-eval minerva_math's removed expressions
  "ways", "integers", "points", "digits", "pounds", "meals", "edges", "students", "multiples",
]);
const UNIT_SUPERSCRIPT = /(?:\^\{?[0-9]\}?|[²³])/g;
const NUMBER_THEN_WORDS = /^(-?[0-9][0-9.,]*)\s*([a-zA-Z][a-zA-Z ^{}0-9²³./]*)$/;

/** "5 cm", "12 square units": a number followed only by unit words is the number. */
export function dropUnitWords(s: string): string {
  const m = NUMBER_THEN_WORDS.exec(s);
  if (!m) return s;
  const words = m[2]!.replace(UNIT_SUPERSCRIPT, "").replace(/[./]/g, " ").trim().split(/\s+/);
  return words.every((w) => UNIT_WORDS.has(w.toLowerCase().replace(/[23]$/, ""))) ? m[1]! : s;
}

/** "\$5", "2,500.75€", "\euro 3": a currency sign before or after a number is not part of it. */
export function dropCurrency(s: string): string {
  if (!/[$€£¥₹]|\\(?:euro|pounds|yen)/.test(s)) return s;
  return s.replace(LEADING_CURRENCY, "$1").replace(TRAILING_CURRENCY, "").trim();
}

/** "\frac{1}{3} \textbf{meters}", "12\text{ cm}^2": a trailing unit command goes when something is left. */
export function dropUnitCommand(s: string): string {
  const withoutUnit = s.replace(TRAILING_UNIT_COMMAND, "").trim();
  return withoutUnit === "" ? s : withoutUnit;
}
