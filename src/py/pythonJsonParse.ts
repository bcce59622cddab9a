import { RunError } from "../errors.js";
import { PyFloat } from "./pyValue.js";

/**
 * Reads a file Python's json module wrote so that writing it back with `pythonJson` gives the same
 * bytes: numbers written with a `.` or exponent stay floats (`PyFloat`), `NaN`/`Infinity` are read,
 * and the top-level mapping is a Map so that integer-like keys ("0", "1", ...) keep file order.
 * Nested objects are plain (handlers read rows as objects).
 *
 * @param advice what the user can do about a file that does not parse (it ends the RunError's message)
 */
export function parsePythonJson(text: string, file: string, advice: string): unknown {
  return parseJsonKeepingFloats(text, { topLevelMap: true, fail: (line, what) => {
    throw new RunError(`${file} is not valid JSON (line ${line}: ${what}); ${advice}`);
  } });
}

/**
 * The same reading for other JSON (dataset rows): floats as `PyFloat`, so a row's `27.0` is
 * written back as `27.0`, as Python does; `fail` reports a syntax error at a line.
 */
export function parseJsonKeepingFloats(text: string, opts: { topLevelMap: boolean; fail: (line: number, what: string) => never }): unknown {
  const p = new Parser(text, opts);
  const value = p.value(0);
  p.space();
  if (p.pos < text.length) p.fail("unexpected text after the value");
  return value;
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;

class Parser {
  pos = 0;
  constructor(
    private readonly s: string,
    private readonly opts: { topLevelMap: boolean; fail: (line: number, what: string) => never },
  ) {}

  fail(what: string): never {
    return this.opts.fail(this.s.slice(0, this.pos).split("\n").length, what);
  }

  space(): void {
    while (" \t\n\r".includes(this.s[this.pos] ?? "x")) this.pos++;
  }

  value(depth: number): unknown {
    this.space();
    const ch = this.s[this.pos];
    if (ch === "{") return this.object(depth);
    if (ch === "[") return this.array(depth);
    if (ch === '"') return this.string();
    for (const [word, v] of [["true", true], ["false", false], ["null", null], ["NaN", NaN], ["Infinity", Infinity], ["-Infinity", -Infinity]] as const) {
      if (this.s.startsWith(word, this.pos)) {
        this.pos += word.length;
        return typeof v === "number" ? new PyFloat(v) : v;
      }
    }
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.s);
    if (!m) this.fail(`unexpected ${JSON.stringify(ch ?? "end of file")}`);
    this.pos += m[0].length;
    if (m[1] !== undefined || m[2] !== undefined) return new PyFloat(Number(m[0]));
    const big = BigInt(m[0]);
    return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
  }

  string(): string {
    const start = this.pos;
    this.pos++;
    while (this.pos < this.s.length && this.s[this.pos] !== '"') this.pos += this.s[this.pos] === "\\" ? 2 : 1;
    if (this.pos >= this.s.length) this.fail("unterminated string");
    this.pos++;
    return JSON.parse(this.s.slice(start, this.pos)) as string;
  }

  array(depth: number): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    this.space();
    if (this.s[this.pos] === "]") {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.space();
      const ch = this.s[this.pos++];
      if (ch === "]") return out;
      if (ch !== ",") this.fail("expected , or ]");
    }
  }

  object(depth: number): Map<string, unknown> | Record<string, unknown> {
    this.pos++;
    const entries: [string, unknown][] = [];
    this.space();
    if (this.s[this.pos] === "}") this.pos++;
    else {
      for (;;) {
        this.space();
        if (this.s[this.pos] !== '"') this.fail("expected a key");
        const key = this.string();
        this.space();
        if (this.s[this.pos++] !== ":") this.fail("expected :");
        entries.push([key, this.value(depth + 1)]);
        this.space();
        const ch = this.s[this.pos++];
        if (ch === "}") break;
        if (ch !== ",") this.fail("expected , or }");
      }
    }
    return depth === 0 && this.opts.topLevelMap ? new Map(entries) : Object.fromEntries(entries);
  }
}
