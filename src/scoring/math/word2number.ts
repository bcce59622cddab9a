// A port of word2number 1.1 (`w2n.word_to_num`), the part upstream's answer normaliser uses
// (spec 7.3), with one deliberate difference: upstream ignores every word it does not know, so
// "x + one" became 1 and "one or two" became 3. Here the whole input must be a number phrase
// (number words, optionally joined by "and" or hyphens); anything else is not converted.

const NUMBER_WORDS: ReadonlyMap<string, number> = new Map([
  ["zero", 0], ["one", 1], ["two", 2], ["three", 3], ["four", 4], ["five", 5], ["six", 6],
  ["seven", 7], ["eight", 8], ["nine", 9], ["ten", 10], ["eleven", 11], ["twelve", 12],
  ["thirteen", 13], ["fourteen", 14], ["fifteen", 15], ["sixteen", 16], ["seventeen", 17],
  ["eighteen", 18], ["nineteen", 19], ["twenty", 20], ["thirty", 30], ["forty", 40], ["fifty", 50],
  ["sixty", 60], ["seventy", 70], ["eighty", 80], ["ninety", 90], ["hundred", 100],
  ["thousand", 1000], ["million", 1_000_000], ["billion", 1_000_000_000],
]);
const DECIMAL_DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

/** Upstream's `number_formation`: how word2number folds a group such as "two hundred thirty four". */
function numberFormation(words: string[]): number {
  const n = words.map((w) => NUMBER_WORDS.get(w)!);
  if (n.length === 0) throw new Error("empty group");
  if (n.length === 4) return n[0]! * n[1]! + n[2]! + n[3]!;
  if (n.length === 3) return n[0]! * n[1]! + n[2]!;
  if (n.length === 2) return n.includes(100) ? n[0]! * n[1]! : n[0]! + n[1]!;
  return n[0]!;
}

function decimalSum(words: string[]): number {
  const digits = words.map((w) => DECIMAL_DIGITS.indexOf(w));
  if (digits.some((d) => d < 0)) return 0;
  return Number.parseFloat("0." + digits.join(""));
}

function integerPart(words: string[]): number {
  if (words.length === 0) return 0;
  if (words.length === 1) return NUMBER_WORDS.get(words[0]!)!;
  const b = words.indexOf("billion");
  const m = words.indexOf("million");
  const t = words.indexOf("thousand");
  let total = 0;
  if (b > -1) total += numberFormation(words.slice(0, b)) * 1e9;
  if (m > -1) total += numberFormation(words.slice(b > -1 ? b + 1 : 0, m)) * 1e6;
  if (t > -1) total += numberFormation(words.slice(m > -1 ? m + 1 : b > -1 ? b + 1 : 0, t)) * 1000;
  // The group after the last multiplier; word2number took the one after thousand, else million,
  // else billion, even when a larger multiplier followed ("two million three thousand" -> 2004003).
  const rest = words.slice(Math.max(b, m, t) + 1);
  if (rest.length > 0) total += numberFormation(rest);
  return total;
}

/** Python's str() of what word_to_num returns (int, or float when there is a decimal part). */
function pythonNumberString(value: number, isFloat: boolean): string {
  if (!isFloat) return String(value);
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

/**
 * The number a phrase such as "twenty-five" or "one hundred and five" names, as upstream prints it,
 * or null when the text is not a number phrase. Pure digit strings come back as an integer, so
 * leading zeros go ("033" -> "33"), as upstream.
 */
export function wordToNumber(text: string): string | null {
  const lowered = text.replace(/-/g, " ").toLowerCase();
  const ascii = lowered.normalize("NFKC");
  if (/^[0-9]+$/.test(ascii)) return BigInt(ascii).toString();
  const words = lowered.split(/\s+/).filter((w) => w !== "");
  if (words.length === 0) return null;
  if (!words.every((w) => NUMBER_WORDS.has(w) || w === "point" || w === "and")) return null;
  const clean = words.filter((w) => w !== "and");
  if (!clean.some((w) => w !== "point")) return null;
  for (const once of ["thousand", "million", "billion", "point"]) {
    if (clean.filter((w) => w === once).length > 1) return null;
  }
  const p = clean.indexOf("point");
  const intWords = p > -1 ? clean.slice(0, p) : clean;
  const decWords = p > -1 ? clean.slice(p + 1) : [];
  const b = intWords.indexOf("billion");
  const m = intWords.indexOf("million");
  const t = intWords.indexOf("thousand");
  if ((t > -1 && (t < m || t < b)) || (m > -1 && m < b)) return null;
  try {
    const value = integerPart(intWords) + (decWords.length > 0 ? decimalSum(decWords) : 0);
    return pythonNumberString(value, decWords.length > 0);
  } catch {
    return null;
  }
}
