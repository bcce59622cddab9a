// Reading a choice letter out of a short answer (upstream's `choice_answer_clean`, spec 7.5), and
// the Python str.strip(chars) helpers it is built from. Python's \b is Unicode-aware, so word
// boundaries are spelled out with Unicode letter/number classes (JS \b knows only ASCII).

const LETTER_ABCDE = /(?<![\p{L}\p{N}_])(A|B|C|D|E)(?![\p{L}\p{N}_])/gu;

/** Python `s.lstrip(chars)`. */
function lstripChars(s: string, chars: string): string {
  let i = 0;
  while (i < s.length && chars.includes(s[i]!)) i++;
  return s.slice(i);
}

/** Python `s.rstrip(chars)`. */
export function rstripChars(s: string, chars: string): string {
  let j = s.length;
  while (j > 0 && chars.includes(s[j - 1]!)) j--;
  return s.slice(0, j);
}

/** Python `s.strip(chars)`. */
export const stripChars = (s: string, chars: string) => rstripChars(lstripChars(s, chars), chars);

/** Upstream `choice_answer_clean`, used by mathEqual when the reference is a letter A-E. */
export function choiceAnswerClean(text: string): string {
  let pred = lstripChars(stripChars(rstripChars(rstripChars(stripChars(text, "\n"), "."), "/"), " "), ":");
  const letters = [...pred.toUpperCase().matchAll(LETTER_ABCDE)];
  pred = letters.length > 0 ? letters[letters.length - 1]![1]! : stripChars(pred.trim(), ".");
  return rstripChars(rstripChars(pred, "."), "/");
}
