// LaTeX -> MathJSON through the standalone parser of @cortex-js/compute-engine (syntax only, no
// engine, no canonicalisation), plus the few shapes of MathJSON we walk.
import { createRequire } from "node:module";

type LatexSyntax = typeof import("@cortex-js/compute-engine/latex-syntax");

// Loaded on first use (~200 ms), synchronously so mathEqual stays synchronous: most runs (code,
// multiple choice) and most math answers (plain numbers) never need the parser.
let latexSyntax: LatexSyntax | undefined;

/** Loads the parser if needed; returns the milliseconds that took (0 once loaded). */
export function loadParser(): number {
  if (latexSyntax) return 0;
  const start = performance.now();
  latexSyntax = createRequire(import.meta.url)("@cortex-js/compute-engine/latex-syntax") as LatexSyntax;
  return performance.now() - start;
}

function parse(latex: string): unknown {
  loadParser();
  return latexSyntax!.parse(latex);
}

/** A MathJSON node with the object wrappers (`{fn}`, `{num}`, `{sym}`, `{str}`) kept as they come. */
export type Json = number | string | Json[] | { fn?: Json[]; num?: string; sym?: string; str?: string };

export type Node =
  | { kind: "num"; value: number }
  | { kind: "sym"; name: string }
  | { kind: "str"; value: string }
  | { kind: "fn"; head: string; args: Json[] };

/** Parsing is the slow part of a symbolic check, and the same gold answer comes up again and again. */
const cache = new Map<string, Json | null>();
const CACHE_LIMIT = 4096;

function hasError(j: Json): boolean {
  const n = view(j);
  if (n.kind !== "fn") return false;
  return n.head === "Error" || n.args.some(hasError);
}

/** MathJSON for a LaTeX string, or null when it does not parse cleanly. */
export function parseLatex(latex: string): Json | null {
  const hit = cache.get(latex);
  if (hit !== undefined) return hit;
  let json: Json | null;
  try {
    json = parse(latex) as Json;
    if (json === null || json === undefined || hasError(json)) json = null;
  } catch {
    json = null;
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(latex, json);
  return json;
}

/** Repeating decimals come as "0.(3)"; everything else is a JS-readable number. */
function numberValue(text: string): number {
  const m = /^([+-]?)(\d*)\.(\d*)\((\d+)\)$/.exec(text);
  if (!m) {
    if (/^[+-]?Infinity$/.test(text) || text === "NaN") return Number(text);
    return Number.parseFloat(text);
  }
  const [, sign, whole, fixed, rep] = m as unknown as [string, string, string, string, string];
  const value = Number(`${whole || "0"}.${fixed || "0"}`) + Number(rep) / ((10 ** rep.length - 1) * 10 ** fixed.length);
  return sign === "-" ? -value : value;
}

/** One uniform view of a MathJSON node. */
export function view(j: Json): Node {
  if (typeof j === "number") return { kind: "num", value: j };
  if (typeof j === "string") {
    if (j.length >= 2 && j.startsWith("'") && j.endsWith("'")) return { kind: "str", value: j.slice(1, -1) };
    return { kind: "sym", name: j };
  }
  if (Array.isArray(j)) return { kind: "fn", head: typeof j[0] === "string" ? j[0] : "?", args: j.slice(1) };
  if (j.fn) return view(j.fn);
  if (j.num !== undefined) return { kind: "num", value: numberValue(j.num) };
  if (j.sym !== undefined) return { kind: "sym", name: j.sym };
  return { kind: "str", value: j.str ?? "" };
}
