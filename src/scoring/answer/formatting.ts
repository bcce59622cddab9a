// Formatting around an answer that is not part of its value: Markdown emphasis and code spans
// (**41**, __41__, *41*, `41`, also around a whole "The answer is 41." sentence) and LaTeX font
// commands (\textbf{7}, \mathbf{7}, \mathrm{C}, {\bf 8}). Math-Verify's issue #76 is the Markdown
// case: "**73**" extracted as "73**".

// A marker opens only after a boundary and closes only before one, so "x**2 + y**2" (Python
// powers) and "a_1 + b_2" (subscripts) are left alone.
const EMPHASIS = /(^|[\s([{:;,.!?"'>])(\*\*|__|\*|_)(?=[^\s*_])([^\n]*?[^\s*_\\])\2(?=$|[\s)\]}:;,.!?"'<])/g;
const FONT_COMMAND = /\\(?:textbf|mathbf|mathrm|textrm|mathit|textit|mathsf|textsf|mathtt|texttt|emph|boldsymbol|bm|textup|mathnormal)\s*\{/g;
// Old-style switches ("\bf 8", "{\rm C}"): the command goes, its argument stays.
const FONT_SWITCH = /\\(?:bf|rm|it|sf|tt|sl|bfseries|mdseries|itshape|upshape|boldmath|unboldmath)(?![a-zA-Z])\s*/g;

/** The text with Markdown emphasis markers and backticks removed where they wrap something. */
export function stripEmphasis(text: string): string {
  if (!/[*_`]/.test(text)) return text;
  let s = text.replaceAll("`", "");
  for (let pass = 0; pass < 3; pass++) {
    const next = s.replace(EMPHASIS, "$1$3");
    if (next === s) break;
    s = next;
  }
  return s;
}

/** Index just past the brace matching the `{` at `open`, or -1 when it never closes. */
function afterGroup(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === "{") depth++;
    else if (s[i] === "}" && --depth === 0) return i + 1;
  }
  return -1;
}

/** `\textbf{7}` -> `7`, `\mathrm{C}` -> `C`, `{\bf 8}` -> `{8}`; \mathbb, \mathcal and \text stay (they carry meaning or are upstream's). */
export function unwrapFontCommands(text: string): string {
  let s = text.replace(FONT_SWITCH, "");
  FONT_COMMAND.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = FONT_COMMAND.exec(s)) !== null) {
    const open = m.index + m[0].length - 1;
    const end = afterGroup(s, open);
    if (end < 0) break;
    s = s.slice(0, m.index) + s.slice(open + 1, end - 1) + s.slice(end);
    FONT_COMMAND.lastIndex = m.index;
  }
  return s;
}
