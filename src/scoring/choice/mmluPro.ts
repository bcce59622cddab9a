// Upstream `mmlu_pro_extract_answer` (spec 7.6), with Python regex semantics.

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
