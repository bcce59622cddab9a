// Reading tuples, intervals, sets and matrices out of answer strings. Upstream split on every comma
// and ignored which brackets enclosed a list; here commas split only at the top level, and an
// interval's brackets are part of its value ([1,2) is not (1,2)).

const OPENERS = "([{";
const CLOSERS = ")]}";

/** Depth-aware split on `sep` (brackets and braces nest; `\{` counts as a brace). */
export function splitTopLevel(s: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (OPENERS.includes(ch)) depth++;
    else if (CLOSERS.includes(ch)) depth = Math.max(0, depth - 1);
    else if (depth === 0 && s.startsWith(sep, i)) {
      parts.push(s.slice(start, i));
      start = i + sep.length;
    }
  }
  parts.push(s.slice(start));
  return parts;
}

/** `s` with the matches of `pattern` (a global regex) replaced where they start outside any brackets. */
export function topLevelReplace(s: string, pattern: RegExp, replacement: string): string {
  const depth: number[] = [];
  let d = 0;
  for (let i = 0; i < s.length; i++) {
    depth.push(d);
    if (OPENERS.includes(s[i]!)) d++;
    else if (CLOSERS.includes(s[i]!)) d = Math.max(0, d - 1);
  }
  return s.replace(pattern, (match: string, ...rest: unknown[]) => {
    const at = rest.find((x) => typeof x === "number") as number;
    return depth[at] === 0 ? replacement : match;
  });
}

export type Bracketed = { open: string; close: string; items: string[] };

/**
 * The outer brackets of a tuple/interval/set/list and its top-level items, when the whole string is
 * one bracketed group: "(1,2]" -> {open "(", close "]", items ["1","2"]}. "(1)+(2)" is not one group.
 */
export function bracketed(s: string): Bracketed | null {
  const t = s.trim();
  if (t.length < 2 || !OPENERS.includes(t[0]!) || !CLOSERS.includes(t[t.length - 1]!)) return null;
  let depth = 0;
  for (let i = 0; i < t.length - 1; i++) {
    if (OPENERS.includes(t[i]!)) depth++;
    else if (CLOSERS.includes(t[i]!)) depth--;
    if (depth === 0) return null;
  }
  const inner = t.slice(1, -1);
  return { open: t[0]!, close: t[t.length - 1]!, items: splitTopLevel(inner, ",").map((x) => x.trim()) };
}

const MATRIX = /^\\begin\{([pb]?matrix)\}([\s\S]*)\\end\{\1\}$/;

/** Cells of a pmatrix/bmatrix/matrix block, row by row, or null when `s` is not one. */
export function matrixCells(s: string): string[][] | null {
  let t = s.trim();
  // "(\begin{pmatrix}...\end{pmatrix})" and "\left[\begin{array}...\right]" are the matrix itself.
  if (/^[([]\\begin\{/.test(t) && /\\end\{[pb]?matrix\}[)\]]$/.test(t)) t = t.slice(1, -1);
  const m = MATRIX.exec(t);
  if (!m) return null;
  const rows = m[2]!.split("\\\\").map((r) => r.trim()).filter((r) => r !== "");
  return rows.map((r) => r.split("&").map((x) => x.trim()));
}
