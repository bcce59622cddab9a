// The letter a response marks as its answer: "The answer is (B)", "Answer: C", "My final choice is
// D", "\boxed{C}", or a leading "D." (lighteval's and Math-Verify's start-of-answer pattern). The last such anchor by position wins, so a later stray letter ("C, since A and
// B fail") or article ("which is a classic result") does not. Upstream GPQA/MMLU took the last
// standalone letter anywhere, and MMLU-Pro the first "answer is" (docs/differences-scoring.md).

/** A case-insensitive word (the letter after it must stay case-sensitive, so no "i" flag). */
const anyCase = (word: string) => [...word].map((c) => (/[a-z]/.test(c) ? `[${c}${c.toUpperCase()}]` : c)).join("");
const VERB = `\\s*(?:${["is", ":", "=", "would be", "should be", "must be"].map(anyCase).join("|")})`;
const PHRASE = [
  `\\b${anyCase("answer")}${VERB}`,
  `\\b(?:${["correct", "final", "best", "right"].map(anyCase).join("|")})\\s+(?:${["answer", "choice", "option"].map(anyCase).join("|")})(?:${VERB})?`,
  `\\b(?:${["my", "the"].map(anyCase).join("|")})\\s+(?:${anyCase("final")}\\s+)?(?:${["choice", "selection"].map(anyCase).join("|")})${VERB}`,
].join("|");
// After a phrase: a hedge word or two ("for sure", "clearly"), an optional "option"/"choice", then
// the letter, bare upper-case or in brackets. "not" is not a hedge: "the answer is not A".
const HEDGE = `(?:\\s+(?:${["for sure", "definitely", "clearly", "probably", "likely", "indeed", "then", "thus", "therefore"].map(anyCase).join("|")}))*`;
const AFTER_PHRASE = `${HEDGE}\\s*(?:${anyCase("option")}|${anyCase("choice")})?\\s*(?:([A-Z])|[([]\\s*([A-Za-z])\\s*[)\\]])(?![\\p{L}\\p{N}_])`;
const ANCHORED = new RegExp(`(?:${PHRASE})${AFTER_PHRASE}`, "gu");
// A response that opens with its letter ("D. it can't be A or B"): the weakest anchor, at position 0.
const LEADING = /^\s*[([]?([A-Z])[)\].:](?=\s|$)/gu;
const BOXED = /\\boxed\s*\{\s*(?:\\text(?:bf)?\s*\{)?\s*\(?\s*([A-Za-z])\s*\)?\s*(?:\}|[.:)])/gu;

/**
 * The letter (one of `letters`) after the last answer anchor in `text`, upper-cased; null when no
 * anchor names one. Bold markers are removed first, as upstream's ARC reader does (spec 5.3).
 */
export function anchoredChoice(text: string, letters: string): string | null {
  const plain = text.replaceAll("*", "");
  let best: { at: number; letter: string } | null = null;
  for (const pattern of [LEADING, ANCHORED, BOXED]) {
    for (const m of plain.matchAll(pattern)) {
      const letter = (m[1] ?? m[2])!.toUpperCase();
      if (letters.includes(letter) && (best === null || m.index >= best.at)) best = { at: m.index, letter };
    }
  }
  return best?.letter ?? null;
}
