/**
 * Answer rewritings that a correct grader must accept (or reject) for a reference answer: the
 * forms a model writes for the same value.
 */
export interface Rewrite {
  label: string;
  answer: string;
}

const INT = /^-?\d+$/;
const DECIMAL = /^-?\d*\.\d+$/;
const FRACTION = /^(-?)\\d?frac\{(\d+)\}\{(\d+)\}$|^(-?)(\d+)\/(\d+)$/;

function gcd(a: bigint, b: bigint): bigint {
  return b === 0n ? a : gcd(b, a % b);
}

/** a/b as an exact decimal, when b has no prime factors but 2 and 5. */
function terminatingDecimal(sign: string, a: bigint, b: bigint): string | null {
  let rest = b;
  let twos = 0;
  let fives = 0;
  for (; rest % 2n === 0n; twos++) rest /= 2n;
  for (; rest % 5n === 0n; fives++) rest /= 5n;
  if (rest !== 1n || b === 1n) return null;
  const digits = Math.max(twos, fives);
  return `${sign}${formatScaled((a * 10n ** BigInt(digits)) / b, digits)}`;
}

function formatScaled(n: bigint, digits: number): string {
  const s = n.toString().padStart(digits + 1, "0");
  return `${s.slice(0, s.length - digits)}.${s.slice(s.length - digits)}`;
}

/** Equivalent forms of a plain-number or simple-fraction reference; `\frac` -> `\dfrac` for any. */
export function equivalentForms(gold: string): Rewrite[] {
  const g = gold.trim();
  const forms: Rewrite[] = [];
  if (g.includes("\\frac")) forms.push({ label: "dfrac", answer: g.replaceAll("\\frac", "\\dfrac") });
  if (INT.test(g)) {
    const n = BigInt(g);
    const abs = n < 0n ? -n : n;
    if (abs >= 1000n) forms.push({ label: "thousands", answer: `${n < 0n ? "-" : ""}${abs.toLocaleString("en-US")}` });
    forms.push({ label: "unit", answer: `${g} \\text{ cm}` });
  }
  if (DECIMAL.test(g)) {
    const [whole, frac] = g.replace("-", "").split(".") as [string, string];
    const num = BigInt(`${whole || "0"}${frac}`);
    const den = 10n ** BigInt(frac.length);
    const d = gcd(num, den);
    if (num !== 0n) {
      const sign = g.startsWith("-") ? "-" : "";
      forms.push({ label: "fraction", answer: `${sign}\\frac{${num / d}}{${den / d}}` });
      forms.push({ label: "slash", answer: `${sign}${num / d}/${den / d}` });
    }
    forms.push({ label: "unit", answer: `${g} \\text{ m}` });
  }
  const m = FRACTION.exec(g);
  if (m) {
    const sign = m[1] ?? m[4] ?? "";
    const decimal = terminatingDecimal(sign, BigInt(m[2] ?? m[5]!), BigInt(m[3] ?? m[6]!));
    if (decimal !== null) forms.push({ label: "decimal", answer: decimal });
  }
  return forms;
}

/**
 * A clearly different value: 2x+1 (2x-1 below zero) for a number (graders accept a 1e-4 relative error and x100
 * percent scalings, so x+1 would pass for a large x), else a number no benchmark answer equals.
 */
export function wrongAnswer(gold: string): string {
  const g = gold.trim();
  if (INT.test(g)) return (BigInt(g) * 2n + (g.startsWith("-") ? -1n : 1n)).toString();
  if (DECIMAL.test(g)) return String(Number(g) * 2 + Math.sign(Number(g) || 1));
  return "-987654.321";
}

/** The content of the last \boxed{...} (nested braces), for references written inside a solution. */
export function lastBoxed(text: string): string | null {
  const at = text.lastIndexOf("\\boxed{");
  if (at < 0) return null;
  let depth = 0;
  for (let i = at + 6; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return text.slice(at + 7, i);
  }
  return null;
}
