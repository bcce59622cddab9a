import { PyFloat, pyFloatRepr } from "./pyValue.js";

/**
 * Python's `json.dumps(value, indent=4, ensure_ascii=...)`, byte for byte, so that results.json
 * and summary.json equal upstream's: floats as Python's repr (`1.0`, `1e-05`, `1e+16`), `NaN` and
 * `Infinity` literals, Python's escaping (with ensure_ascii every char outside space..~ becomes
 * \uXXXX), `{}`/`[]` for empty containers. Maps and plain objects are mappings; `PyFloat` is a float;
 * a plain JS number is an int when it is an integer.
 */
export function pythonJson(value: unknown, opts: { ensureAscii: boolean; indent?: number }): string {
  const parts: string[] = [];
  write(value, opts.indent ?? 4, 0, opts.ensureAscii, parts);
  return parts.join("");
}

function write(value: unknown, indent: number, depth: number, ascii: boolean, out: string[]): void {
  if (value === null || value === undefined) out.push("null");
  else if (value === true) out.push("true");
  else if (value === false) out.push("false");
  else if (value instanceof PyFloat) out.push(floatRepr(value.value));
  else if (typeof value === "number") out.push(Number.isInteger(value) ? intRepr(value) : floatRepr(value));
  else if (typeof value === "bigint") out.push(value.toString());
  else if (typeof value === "string") out.push(quote(value, ascii));
  else if (Array.isArray(value)) {
    container(value.map((v) => [null, v] as const), "[", "]", indent, depth, ascii, out);
  } else if (value instanceof Map) {
    container([...value.entries()], "{", "}", indent, depth, ascii, out);
  } else if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    container(entries, "{", "}", indent, depth, ascii, out);
  } else {
    out.push(quote(String(value), ascii));
  }
}

function container(
  entries: ReadonlyArray<readonly [unknown, unknown]>,
  open: string,
  close: string,
  indent: number,
  depth: number,
  ascii: boolean,
  out: string[],
): void {
  if (entries.length === 0) {
    out.push(open + close);
    return;
  }
  const inner = "\n" + " ".repeat(indent * (depth + 1));
  out.push(open);
  entries.forEach(([key, v], i) => {
    out.push(i === 0 ? inner : "," + inner);
    if (key !== null) out.push(quote(String(key), ascii), ": ");
    write(v, indent, depth + 1, ascii, out);
  });
  out.push("\n" + " ".repeat(indent * depth) + close);
}

function intRepr(v: number): string {
  // Integers beyond 2^53 arrive here only as exact doubles; print every digit as Python would.
  return Number.isSafeInteger(v) ? String(v) : BigInt(v).toString();
}

/** json.dumps writes floats with repr(), and the non-finite ones as JavaScript literals. */
export function floatRepr(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "Infinity" : "-Infinity";
  return pyFloatRepr(v);
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f",
};

function quote(s: string, ascii: boolean): string {
  const re = ascii ? /[^ -~]|["\\]/g : /[\x00-\x1f"\\]/g;
  return (
    '"' +
    s.replace(re, (ch) => SHORT_ESCAPES[ch] ?? "\\u" + ch.charCodeAt(0).toString(16).padStart(4, "0")) +
    '"'
  );
}
