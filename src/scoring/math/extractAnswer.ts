// Finding the final answer in a model response: upstream's `extract_answer` in its default "use
// the last number" mode (spec 7.1), with these repairs (docs/differences-scoring.md):
// - \fbox counts like \boxed, and boxes chained by list words ("\boxed{2} and \boxed{9}") are one
//   answer, as in Math-Verify;
// - Markdown emphasis and code spans are not part of the answer ("**41**");
// - of the phrases "the answer is" / "final answer is" the last one by position counts, and the
//   answer it introduces ends with its sentence ("The final answer is 42. I hope it is correct.");
// - with no box and no phrase, a LaTeX span in the final sentence beats the last number
//   ("this gives $3/4$" is 3/4, not 4).
import { finalBoxes, lastBoxed, stripEmphasis } from "../answer/index.js";
import { stripAnswerString } from "./normalize.js";

const MINERVA_START = "final answer is $";
const MINERVA_END = "$. I hope";
const PHRASES = ["he answer is", "final answer is"];
const LAST_NUMBER = /-?\p{Nd}*\.?\p{Nd}+/gu;
const MATH_SPANS: ReadonlyArray<readonly [string, string]> = [["$$", "$$"], ["$", "$"], ["\\(", "\\)"], ["\\[", "\\]"]];
const SPAN = /(?<!\\)\$\$([\s\S]+?)(?<!\\)\$\$|\\\[([\s\S]+?)\\\]|\\\(([\s\S]+?)\\\)|(?<!\\)\$((?:\\\$|[^$\n])+?)(?<!\\)\$/g;
/** A run of three plain letters outside commands and their groups is prose ("$? just about 1$"), not math. */
const PROSE = /(?<![\\a-zA-Z])[a-zA-Z]{3,}/;
const COMMAND_GROUP = /\\[a-zA-Z]+\s*\{[^{}]*\}/g;
// "12 square units", "$2,500.75 euros": a number followed only by words states the number.
const NUMBER_THEN_WORDS = /^((?:\\?\$|[€£¥₹])?\s*-?[0-9][0-9,]*(?:\.[0-9]+)?(?:\/[0-9]+)?\s*(?:\\?%)?)\s+[A-Za-z][A-Za-z\s'.,-]*$/;

/** The answer a phrase such as "the answer is" introduces: its math span, or its sentence. */
function phraseAnswer(rest: string): string {
  const text = rest.trim().replace(/^:\s*/, "");
  for (const [open, close] of MATH_SPANS) {
    if (!text.startsWith(open)) continue;
    const end = text.indexOf(close, open.length);
    if (end > open.length) return text.slice(open.length, end).trim();
  }
  const sentenceEnd = text.search(/\n|[.!?](?=\s)/);
  const sentence = (sentenceEnd >= 0 ? text.slice(0, sentenceEnd) : text).trim();
  return NUMBER_THEN_WORDS.exec(sentence)?.[1]!.trim() ?? sentence;
}

/** The last box, joined with the boxes chained right before it. */
function boxedAnswer(text: string): string | null {
  const last = lastBoxed(text);
  if (last === null) return null;
  const markers = text.split(/\\(?:boxed|fbox)/, 3).length - 1;
  if (markers < 2) return last;
  const chain = finalBoxes(text);
  return chain !== null && chain.length > 1 && chain[chain.length - 1] === last.trim() ? chain.join(", ") : last;
}

/** The text after the last phrase anchor (by position, whichever phrase it is), or null. */
function afterLastPhrase(text: string): string | null {
  let best = -1;
  let length = 0;
  for (const phrase of PHRASES) {
    const at = text.lastIndexOf(phrase);
    if (at > best) [best, length] = [at, phrase.length];
  }
  return best < 0 ? null : text.slice(best + length);
}

/** The content of the last math span when no number follows it (it is in the final sentence) and it is not prose. */
function lastSpanAnswer(text: string): string | null {
  let last: RegExpExecArray | null = null;
  for (const m of text.matchAll(SPAN)) last = m;
  if (last === null || /\p{Nd}/u.test(text.slice(last.index + last[0].length))) return null;
  const content = (last[1] ?? last[2] ?? last[3] ?? last[4] ?? "").trim();
  return PROSE.test(content.replace(COMMAND_GROUP, "")) ? null : content;
}

function rawAnswer(text: string): string {
  const minerva = text.lastIndexOf(MINERVA_START);
  if (minerva >= 0 && text.includes(MINERVA_END, minerva)) {
    const after = text.slice(minerva + MINERVA_START.length);
    return after.slice(0, after.indexOf(MINERVA_END)).trim();
  }
  const boxed = boxedAnswer(text);
  if (boxed !== null) return boxed;
  const phrase = afterLastPhrase(text);
  if (phrase !== null) return phraseAnswer(phrase);
  const zh = text.indexOf("答案是");
  if (zh >= 0) return text.slice(zh + 3).trim().split("\n\n")[0]!.trim();
  const span = lastSpanAnswer(text);
  if (span) return span;
  const numbers = text.replaceAll(",", "").match(LAST_NUMBER);
  return numbers ? numbers[numbers.length - 1]! : "";
}

/**
 * The final answer of a model response as it is written (not normalised): the last \boxed{...}
 * (nested braces) or \fbox{...} with the boxes chained before it, else the "final answer is $...$.
 * I hope" form, else what the last "the answer is" / "final answer is" introduces, else what follows
 * "答案是", else a LaTeX span in the final sentence, else the last number. Null when the response
 * holds no answer at all. This is what mathEqual expects as its prediction.
 */
export function finalAnswer(text: string): string | null {
  if (typeof text !== "string") return null;
  let pred = rawAnswer(stripEmphasis(text.replaceAll("ки", ""))).replace(/\n\s*/g, "");
  if (pred.startsWith(":")) pred = pred.slice(1);
  if (pred.endsWith(".")) pred = pred.slice(0, -1);
  if (pred.endsWith("/")) pred = pred.slice(0, -1);
  pred = pred.trim();
  return pred === "" ? null : pred;
}

/**
 * The final answer ({@link finalAnswer}) normalised with {@link stripAnswerString}, as upstream's
 * `extract_answer` returns it (integer lists sorted). Null when the response holds no answer.
 */
export function extractAnswer(text: string): string | null {
  const answer = finalAnswer(text);
  if (answer === null) return null;
  const normalized = stripAnswerString(answer);
  return normalized === "" ? null : normalized;
}
