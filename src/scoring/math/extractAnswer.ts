// Upstream's `extract_answer` in its default "use the last number" mode (spec 7.1), with two
// repairs: \fbox counts like \boxed, and an answer introduced by "the answer is" ends where its
// sentence ends, so "The final answer is 42. I hope it is correct." gives 42 rather than
// "42Ihopeitiscorrect".
import { lastBoxed } from "./boxed.js";
import { stripAnswerString } from "./normalize.js";

const MINERVA_START = "final answer is $";
const MINERVA_END = "$. I hope";
const LAST_NUMBER = /-?\p{Nd}*\.?\p{Nd}+/gu;
const MATH_SPANS: ReadonlyArray<readonly [string, string]> = [["$$", "$$"], ["$", "$"], ["\\(", "\\)"], ["\\[", "\\]"]];

/** The answer a phrase such as "the answer is" introduces: its math span, or its sentence. */
function phraseAnswer(rest: string): string {
  const text = rest.trim().replace(/^:\s*/, "");
  for (const [open, close] of MATH_SPANS) {
    if (!text.startsWith(open)) continue;
    const end = text.indexOf(close, open.length);
    if (end > open.length) return text.slice(open.length, end).trim();
  }
  const sentenceEnd = text.search(/\n|[.!?](?=\s)/);
  return (sentenceEnd >= 0 ? text.slice(0, sentenceEnd) : text).trim();
}

function rawAnswer(text: string): string {
  if (text.includes(MINERVA_START) && text.includes(MINERVA_END)) {
    const after = text.slice(text.indexOf(MINERVA_START) + MINERVA_START.length);
    return after.slice(0, after.indexOf(MINERVA_END) < 0 ? undefined : after.indexOf(MINERVA_END)).trim();
  }
  const boxed = lastBoxed(text);
  if (boxed !== null) return boxed;
  for (const phrase of ["he answer is", "final answer is"]) {
    const at = text.lastIndexOf(phrase);
    if (at >= 0) return phraseAnswer(text.slice(at + phrase.length));
  }
  const zh = text.indexOf("答案是");
  if (zh >= 0) return text.slice(zh + 3).trim().split("\n\n")[0]!.trim();
  const numbers = text.replaceAll(",", "").match(LAST_NUMBER);
  return numbers ? numbers[numbers.length - 1]! : "";
}

/**
 * The final answer in a model response, normalised with {@link stripAnswerString}: the last
 * \boxed{...} (nested braces) or \fbox{...}, else the "final answer is $...$. I hope" form, else
 * what follows "the answer is" / "final answer is" / "答案是", else the last number. Null when the
 * response holds no answer at all.
 */
export function extractAnswer(text: string): string | null {
  if (typeof text !== "string") return null;
  let pred = rawAnswer(text.replaceAll("ки", "")).replace(/\n\s*/g, "");
  if (pred.startsWith(":")) pred = pred.slice(1);
  if (pred.endsWith(".")) pred = pred.slice(0, -1);
  if (pred.endsWith("/")) pred = pred.slice(0, -1);
  const answer = stripAnswerString(pred);
  return answer === "" ? null : answer;
}
