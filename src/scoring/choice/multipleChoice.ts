// Upstream's multiple-choice helpers (spec 7.5). Python's \b is Unicode-aware, so word boundaries
// are spelled out with Unicode letter/number classes (JS \b knows only ASCII).

const LETTER_ABCD = /(?<![\p{L}\p{N}_])(A|B|C|D)(?![\p{L}\p{N}_])/gu;
const LETTER_ABCDE = /(?<![\p{L}\p{N}_])(A|B|C|D|E)(?![\p{L}\p{N}_])/gu;

const stripChars = (s: string, chars: string) => rstripChars(lstripChars(s, chars), chars);
function lstripChars(s: string, chars: string): string {
  let i = 0;
  while (i < s.length && chars.includes(s[i]!)) i++;
  return s.slice(i);
}
function rstripChars(s: string, chars: string): string {
  let j = s.length;
  while (j > 0 && chars.includes(s[j - 1]!)) j--;
  return s.slice(0, j);
}

/**
 * Upstream `get_multiple_choice_answer`: the last standalone A-D in the upper-cased text (so the
 * article "a" counts, as upstream), else the text itself stripped of dots.
 */
export function getMultipleChoiceAnswer(text: string): string {
  const letters = [...text.toUpperCase().matchAll(LETTER_ABCD)];
  const pred = letters.length > 0 ? letters[letters.length - 1]![1]! : stripChars(text.trim(), ".");
  return rstripChars(rstripChars(pred, "."), "/");
}

/** Upstream `choice_answer_clean`, used by mathEqual when the reference is a letter A-E. */
export function choiceAnswerClean(text: string): string {
  let pred = lstripChars(stripChars(rstripChars(rstripChars(stripChars(text, "\n"), "."), "/"), " "), ":");
  const letters = [...pred.toUpperCase().matchAll(LETTER_ABCDE)];
  pred = letters.length > 0 ? letters[letters.length - 1]![1]! : stripChars(pred.trim(), ".");
  return rstripChars(rstripChars(pred, "."), "/");
}
