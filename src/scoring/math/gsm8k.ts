// GSM8K answer handling (spec 5.4). Extraction is upstream's; the comparison is numeric, where
// upstream compared strings, so "3.50" equals "3.5" (docs/differences-scoring.md).
import { extractAnswer } from "./extractAnswer.js";
import { pythonFloat } from "./number.js";

export const INVALID = "[invalid]";

const GOLD = /#### (-?[0-9.,]+)/;
const PRED = /((-?[$0-9.,]{2,})|(-?[0-9]+))/g;

/** The reference number after "####", commas removed, or "[invalid]". */
export function gsm8kExtractGold(answer: string): string {
  const m = GOLD.exec(answer);
  return m ? m[1]!.trim().replaceAll(",", "") : INVALID;
}

/** The predicted number: the last number-like run in the extracted answer, or "[invalid]". */
export function gsm8kExtractPrediction(response: string): string {
  const text = (extractAnswer(response) ?? "").replaceAll(",", "").replaceAll("$", "");
  const matches = [...text.matchAll(PRED)];
  return matches.length > 0 ? matches[matches.length - 1]![1]!.trim() : INVALID;
}

/** Same number (3.50 = 3.5 = 3.5.), else same string; "[invalid]" never matches. */
export function gsm8kEqual(pred: string, gold: string): boolean {
  if (pred === INVALID || gold === INVALID) return false;
  const p = pythonFloat(pred.replace(/\.$/, ""));
  const g = pythonFloat(gold.replace(/\.$/, ""));
  if (p === null || g === null || Number.isNaN(p) || Number.isNaN(g)) return pred === gold;
  return Math.abs(p - g) <= 1e-9 * Math.max(1, Math.abs(p), Math.abs(g));
}
