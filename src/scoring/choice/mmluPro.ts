// Upstream `mmlu_pro_extract_answer` (spec 7.6), with Python regex semantics, behind the anchored
// reader that GPQA and MMLU use.
import { anchoredChoice } from "./anchoredChoice.js";

const ANSWER_IS = /answer is \(?([A-J])\)?/;
// Python's "." stops only at \n, and search takes the first line that matches.
const ANSWER_COLON = /[^\n]*[aA]nswer:\s*([A-J])/;
const STANDALONE = /(?<![\p{L}\p{N}_])[A-J](?![\p{L}\p{N}_])/gu;

/** The chosen letter A-J, or null when the response names none (null never equals a letter). */
export function mmluProExtractAnswer(text: string): string | null {
  const first = ANSWER_IS.exec(text) ?? ANSWER_COLON.exec(text);
  if (first) return first[1]!;
  const all = text.match(STANDALONE);
  return all ? all[all.length - 1]! : null;
}

/**
 * The MMLU-Pro prediction: the letter A-J after the last answer anchor ({@link anchoredChoice}),
 * else upstream's rule ({@link mmluProExtractAnswer}); null when the response names none.
 */
export function mmluProAnswer(text: string): string | null {
  return anchoredChoice(text, "ABCDEFGHIJ") ?? mmluProExtractAnswer(text);
}
