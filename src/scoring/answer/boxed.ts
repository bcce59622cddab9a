// Finding boxed answers. `lastBoxed` is upstream's rule (spec 7.1 step 2): the text after the last
// "boxed" marker, up to the brace that closes the first one (nested braces counted), or up to the
// first "$" when no brace follows; \fbox is the same thing. `finalBoxes` adds the boxes a response
// chains before the last one ("\boxed{2} and \boxed{9}"), as Math-Verify does for multi-part answers.

const MAX_CHAINED_BOXES = 16;
/** A box's own label, "y_2 = " or "(x, y) = ", may sit between two chained boxes. */
const LABEL_BEFORE_BOX = /(?:\(?[A-Za-z][\w{}',\s]*\)?\s*=\s*)$/;
const SEPARATOR_MARKUP = /\\(?:text|textrm|textnormal|mbox|mathrm)\{([^{}]*)\}|\\(?:quad|qquad|[,;:! ])|\\\\|\\[()[\]]|\$|&/g;
const CONNECTIVES = new Set(["and", "or"]);
/** "for part (a) and" still reads as a list; "and and and or thus but" does not. */
const MAX_SEPARATOR_WORDS = 4;

/** Where the content after the last `boxed` / `\fbox` marker starts, or -1 when there is none. */
function afterLastMarker(text: string): number {
  const boxed = text.lastIndexOf("boxed");
  const fbox = text.lastIndexOf("\\fbox");
  if (boxed < 0 && fbox < 0) return -1;
  return boxed > fbox ? boxed + "boxed".length : fbox + "\\fbox".length;
}

/** Index of the brace matching an opening `{` at `open`, or -1 when it never closes. */
function closingBrace(text: string, open: number): number {
  let depth = 1;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  return -1;
}

/**
 * Content of the last \boxed / \fbox, "" when the marker ends the text, null when there is none.
 * A marker followed by neither a brace nor any letter or digit ("Mark your solution with \boxed.")
 * is a mention, not an answer: the last closed box before it counts (lm-evaluation-harness #3477).
 */
export function lastBoxed(text: string): string | null {
  const start = afterLastMarker(text);
  if (start < 0) return null;
  const rest = text.slice(start);
  if (rest === "") return "";
  if (rest.startsWith("{")) {
    const end = closingBrace(rest, 0);
    return end < 0 ? rest.slice(1) : rest.slice(1, end);
  }
  const inline = rest.split("$")[0]!.trim();
  if (/[\p{L}\p{N}]/u.test(inline)) return inline;
  return closedBoxes(text).at(-1)?.content ?? inline;
}

type Box = { start: number; end: number; content: string };

/** Every closed `\boxed{...}` / `\fbox{...}`, in order, not counting boxes nested in another. */
function closedBoxes(text: string): Box[] {
  const boxes: Box[] = [];
  const marker = /\\(?:boxed|fbox)\s*\{/g;
  let m: RegExpExecArray | null;
  while ((m = marker.exec(text)) !== null) {
    const open = m.index + m[0].length - 1;
    const close = closingBrace(text, open);
    if (close < 0) break;
    boxes.push({ start: m.index, end: close + 1, content: text.slice(open + 1, close) });
    marker.lastIndex = close + 1;
  }
  return boxes;
}

/** Whether the text between two boxes joins them into one answer: commas, "and"/"or", spacing. */
function joinsBoxes(separator: string): boolean {
  const plain = separator.replace(SEPARATOR_MARKUP, (_m, text?: string) => ` ${text ?? ""} `).replace(LABEL_BEFORE_BOX, " ");
  const words = plain.match(/[A-Za-z]+/g) ?? [];
  if (words.length === 0) return /^[\s,;]*$/.test(plain);
  return words.length <= MAX_SEPARATOR_WORDS && words.some((w) => CONNECTIVES.has(w.toLowerCase())) && !/[.!?]\s/.test(plain);
}

/**
 * The contents of the last box and of the boxes chained right before it by list separators
 * ("\boxed{1}, \boxed{2}", "\boxed{x=1} \quad\text{and}\quad \boxed{y=2}"), in order, repeats of
 * the same content dropped; null when the text has no closed box.
 */
export function finalBoxes(text: string): string[] | null {
  const boxes = closedBoxes(text);
  if (boxes.length === 0) return null;
  let first = boxes.length - 1;
  while (first > 0 && boxes.length - first < MAX_CHAINED_BOXES && joinsBoxes(text.slice(boxes[first - 1]!.end, boxes[first]!.start))) first--;
  const contents: string[] = [];
  for (const box of boxes.slice(first)) {
    const content = box.content.trim();
    if (!contents.includes(content)) contents.push(content);
  }
  return contents;
}
