import { HEX_ESCAPE_DIGITS, SIMPLE_ESCAPES } from "./escapes.js";
import { PyFloat, type PyDict, type PyValue } from "./pyValue.js";

/**
 * The part of Python's `ast.literal_eval` that upstream's `k=v` parsing relies on: ints (decimal,
 * hex, octal, binary, `_` separators, one sign), floats (`1.`, `.5`, `1e-3`), `True`/`False`/`None`,
 * quoted strings (single, double, triple; `r`/`u` prefixes; Python escapes; adjacent strings
 * concatenated), lists, tuples and dicts with string or int keys (an int key becomes its decimal
 * string, as json.dumps writes it: `{5: 1.0}` is logit_bias's `{"5": 1.0}`). Returns `undefined` where literal_eval
 * would raise, so callers can fall back as upstream does. Complex numbers, bytes and sets are not
 * supported (they cannot be hashed or written as JSON upstream either) and also give `undefined`.
 */
export function parsePythonLiteral(text: string): PyValue | undefined {
  const parser = new LiteralParser(text.replace(/^[ \t]+/, ""));
  try {
    const value = parser.value();
    parser.skipSpace();
    return parser.atEnd() ? value : undefined;
  } catch (e) {
    if (e instanceof NotALiteral) return undefined;
    throw e;
  }
}

class NotALiteral extends Error {}

const DECIMAL = /^(?:0(?:_?0)*|[1-9](?:_?\d)*)(?![\w.])/;
const RADIX = /^0([xX](?:_?[0-9a-fA-F])+|[oO](?:_?[0-7])+|[bB](?:_?[01])+)(?![\w.])/;
const DIGITS = "\\d(?:_?\\d)*";
const FLOAT = new RegExp(
  `^(?:(?:${DIGITS})?\\.${DIGITS}(?:[eE][-+]?${DIGITS})?|${DIGITS}\\.(?:[eE][-+]?${DIGITS})?|${DIGITS}[eE][-+]?${DIGITS})(?![\\w.])`,
);
const STRING_START = /^([rRuU]?)('''|"""|'|")/;

class LiteralParser {
  private pos = 0;
  constructor(private readonly src: string) {}

  atEnd(): boolean {
    return this.pos >= this.src.length;
  }

  skipSpace(): void {
    while (this.pos < this.src.length && " \t\n\r\f".includes(this.src[this.pos]!)) this.pos++;
  }

  private rest(): string {
    return this.src.slice(this.pos);
  }

  private fail(): never {
    throw new NotALiteral();
  }

  private expect(ch: string): void {
    this.skipSpace();
    if (this.src[this.pos] !== ch) this.fail();
    this.pos++;
  }

  value(): PyValue {
    this.skipSpace();
    const ch = this.src[this.pos];
    if (ch === undefined) this.fail();
    if (ch === "[") return this.sequence("[", "]");
    if (ch === "(") return this.parenthesised();
    if (ch === "{") return this.dict();
    if (ch === "-" || ch === "+") {
      this.pos++;
      this.skipSpace();
      const n = this.number();
      if (n === undefined) this.fail();
      if (ch === "+") return n;
      if (n instanceof PyFloat) return new PyFloat(-n.value);
      return typeof n === "bigint" ? -n : n === 0 ? 0 : -n;
    }
    const n = this.number();
    if (n !== undefined) return n;
    const word = /^[A-Za-z_]\w*/.exec(this.rest())?.[0];
    if (word !== undefined && !STRING_START.test(this.rest())) {
      this.pos += word.length;
      if (word === "True") return true;
      if (word === "False") return false;
      if (word === "None") return null;
      this.fail();
    }
    return this.strings();
  }

  private number(): number | bigint | PyFloat | undefined {
    const rest = this.rest();
    const float = FLOAT.exec(rest);
    if (float) {
      this.pos += float[0].length;
      return new PyFloat(Number(float[0].replaceAll("_", "")));
    }
    const radix = RADIX.exec(rest);
    const decimal = radix ? null : DECIMAL.exec(rest);
    const m = radix ?? decimal;
    if (!m) {
      if (/^\d/.test(rest)) this.fail(); // `0dccf55`, `017`: a SyntaxError in Python
      return undefined;
    }
    this.pos += m[0].length;
    const big = BigInt(m[0].replaceAll("_", ""));
    return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
  }

  private strings(): string {
    let out = "";
    let any = false;
    for (;;) {
      this.skipSpace();
      const m = STRING_START.exec(this.rest());
      if (!m) break;
      any = true;
      this.pos += m[0].length;
      out += this.stringBody(m[2]!, m[1]!.toLowerCase() === "r");
    }
    if (!any) this.fail();
    return out;
  }

  private stringBody(quote: string, raw: boolean): string {
    let out = "";
    for (;;) {
      if (this.atEnd()) this.fail();
      if (this.src.startsWith(quote, this.pos)) {
        this.pos += quote.length;
        return out;
      }
      const ch = this.src[this.pos]!;
      if (ch === "\n" && quote.length === 1) this.fail();
      if (ch !== "\\") {
        out += ch;
        this.pos++;
        continue;
      }
      const next = this.src[this.pos + 1];
      if (next === undefined) this.fail();
      if (raw) {
        out += ch + next;
        this.pos += 2;
        continue;
      }
      out += this.escape();
    }
  }

  /** One backslash escape, Python's rules: unknown escapes keep their backslash. */
  private escape(): string {
    const next = this.src[this.pos + 1]!;
    if (next in SIMPLE_ESCAPES) {
      this.pos += 2;
      return SIMPLE_ESCAPES[next]!;
    }
    const octal = /^[0-7]{1,3}/.exec(this.src.slice(this.pos + 1));
    if (octal) {
      this.pos += 1 + octal[0].length;
      return String.fromCodePoint(parseInt(octal[0], 8));
    }
    const width = HEX_ESCAPE_DIGITS[next];
    if (width !== undefined) {
      const hex = this.src.slice(this.pos + 2, this.pos + 2 + width);
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) this.fail();
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) this.fail();
      this.pos += 2 + width;
      return String.fromCodePoint(code);
    }
    this.pos += 2;
    return "\\" + next;
  }

  private sequence(open: string, close: string): PyValue[] {
    this.expect(open);
    const items: PyValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.src[this.pos] === close) {
        this.pos++;
        return items;
      }
      items.push(this.value());
      this.skipSpace();
      if (this.src[this.pos] === ",") this.pos++;
      else if (this.src[this.pos] !== close) this.fail();
    }
  }

  /** `(x)` is x; `()`, `(x,)` and `(x, y)` are tuples, which Python hashes and prints as lists. */
  private parenthesised(): PyValue {
    const start = this.pos;
    this.expect("(");
    this.skipSpace();
    if (this.src[this.pos] === ")") {
      this.pos++;
      return [];
    }
    const first = this.value();
    this.skipSpace();
    if (this.src[this.pos] === ")") {
      this.pos++;
      return first;
    }
    this.pos = start;
    return this.sequence("(", ")");
  }

  private dict(): PyDict {
    this.expect("{");
    const out: PyDict = new Map();
    for (;;) {
      this.skipSpace();
      if (this.src[this.pos] === "}") {
        this.pos++;
        return out;
      }
      const key = this.value();
      if (typeof key !== "string" && typeof key !== "number" && typeof key !== "bigint") this.fail();
      this.expect(":");
      out.set(String(key), this.value());
      this.skipSpace();
      if (this.src[this.pos] === ",") this.pos++;
      else if (this.src[this.pos] !== "}") this.fail();
    }
  }
}
