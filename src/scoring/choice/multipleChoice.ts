// The GPQA / MMLU reader: an anchored answer first, else upstream's rule (spec 7.5). Python's \b is Unicode-aware, so word boundaries
// are spelled out with Unicode letter/number classes (JS \b knows only ASCII).
import { rstripChars, stripChars } from "../answer/index.js";
import { anchoredChoice } from "./anchoredChoice.js";

const LETTER_ABCD = /(?<![\p{L}\p{N}_])(A|B|C|D)(?![\p{L}\p{N}_])/gu;

/**
 * Upstream `get_multiple_choice_answer`: the last standalone A-D in the upper-cased text (so the
 * article "a" counts, as upstream), else the text itself stripped of dots.
 */
export function getMultipleChoiceAnswer(text: string): string {
  const letters = [...text.toUpperCase().matchAll(LETTER_ABCD)];
  const pred = letters.length > 0 ? letters[letters.length - 1]![1]! : stripChars(text.trim(), ".");
  return rstripChars(rstripChars(pred, "."), "/");
}

/**
 * The GPQA / MMLU prediction: the letter after the last answer anchor ({@link anchoredChoice}),
 * else upstream's last standalone A-D ({@link getMultipleChoiceAnswer}).
 */
export function multipleChoiceAnswer(text: string): string {
  return anchoredChoice(text, "ABCD") ?? getMultipleChoiceAnswer(text);
}
