// ARC-Challenge answer handling (spec 5.3). Upstream's extraction, except that a lower-case
// "the best answer is b" counts as B and an answer key outside A-D/1-4 does not abort scoring.
import { INVALID, extractAnswer } from "../math/index.js";

const LETTER = /([A-D])[.,]*/;
const BEST_ANSWER = /[Tt]he best answer is ([A-D])[.,]*/gi;

/** The reference letter: the key itself, or "ABCD"[n-1] for a numeric key "1".."4". */
export function arcGold(answerKey: string): string {
  if ("ABCD".includes(answerKey) && answerKey.length === 1) return answerKey;
  return /^[1-4]$/.test(answerKey) ? "ABCD"[Number(answerKey) - 1]! : answerKey;
}

/** The predicted letter A-D, or "[invalid]". Like upstream, `,`, `$` and `*` are removed before the fallback search. */
export function arcExtractPrediction(response: string): string {
  const extracted = extractAnswer(response);
  const letter = extracted ? LETTER.exec(extracted) : null;
  if (letter) return letter[1]!;
  const cleaned = response.replace(/[,$*]/g, "");
  const matches = [...cleaned.matchAll(BEST_ANSWER)];
  return matches.length > 0 ? matches[matches.length - 1]![1]!.trim().toUpperCase() : INVALID;
}
