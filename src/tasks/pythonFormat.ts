import { TaskError } from "../errors.js";

/**
 * Python `template.format(*args, **values)`: `{name}`, `{0}`, `{}`, `{name[key]}`, `{name.attr}`,
 * `!s`/`!r` conversions and `{{`/`}}` escapes; values are inserted as Python's `str()` would print
 * them. Format specs (`{x:>10}`) are used by no task or model template and are refused.
 */
export function formatPython(template: string, values: Record<string, unknown> = {}, args: readonly unknown[] = []): string {
  const fields: Fields = { values, args, template, auto: null };
  let out = "";
  let i = 0;
  while (i < template.length) {
    const ch = template[i]!;
    if (ch === "}") {
      if (template[i + 1] !== "}") throw new TaskError(`template ${JSON.stringify(template)}: single '}' encountered; write '}}' for a literal brace`);
      out += "}";
      i += 2;
    } else if (ch === "{") {
      if (template[i + 1] === "{") {
        out += "{";
        i += 2;
        continue;
      }
      const close = template.indexOf("}", i);
      if (close < 0) throw new TaskError(`template ${JSON.stringify(template)}: single '{' encountered; write '{{' for a literal brace`);
      out += renderField(template.slice(i + 1, close), fields);
      i = close + 1;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

interface Fields {
  values: Record<string, unknown>;
  args: readonly unknown[];
  template: string;
  /** Next automatic index for `{}`, or null until the first `{}`; -1 once a `{0}` was used. */
  auto: number | null;
}

function lookup(name: string, f: Fields): unknown {
  const where = `template ${JSON.stringify(f.template)}`;
  if (name === "" || /^\d+$/.test(name)) {
    let index: number;
    if (name === "") {
      if (f.auto === -1) throw new TaskError(`${where}: cannot switch from manual field numbering to automatic`);
      index = f.auto ?? 0;
      f.auto = index + 1;
    } else {
      if (f.auto !== null && f.auto !== -1) throw new TaskError(`${where}: cannot switch from automatic field numbering to manual`);
      f.auto = -1;
      index = Number(name);
    }
    if (index >= f.args.length) throw new TaskError(`${where}: positional field {${name}} has no value (${f.args.length} given)`);
    return f.args[index];
  }
  if (!Object.hasOwn(f.values, name)) {
    throw new TaskError(`template field {${name}} has no value; available: ${Object.keys(f.values).join(", ")}`);
  }
  return f.values[name];
}

function renderField(field: string, f: Fields): string {
  const m = /^([^.[!:]*)((?:\.[^.[!:]+|\[[^\]]+\])*)(?:!([rs]))?(?::(.*))?$/.exec(field);
  if (!m) throw new TaskError(`template ${JSON.stringify(f.template)}: cannot parse field {${field}}`);
  if (m[4]) throw new TaskError(`template ${JSON.stringify(f.template)}: format spec in {${field}} is not supported`);
  const name = m[1]!;
  let value: unknown = lookup(name, f);
  for (const [, attr, key] of m[2]!.matchAll(/\.([^.[]+)|\[([^\]]+)\]/g)) {
    const k = attr ?? (Array.isArray(value) && /^\d+$/.test(key!) ? Number(key) : key!);
    if (value === null || typeof value !== "object" || !(k in value)) {
      throw new TaskError(`template field {${field}}: ${String(k)} not found in the value of ${name}`);
    }
    value = (value as Record<string | number, unknown>)[k];
  }
  return m[3] === "r" ? pythonRepr(value) : pythonStr(value);
}

/** Python `str()` of a JSON-like value. */
export function pythonStr(value: unknown): string {
  return typeof value === "string" ? value : pythonRepr(value);
}

/** Python `repr()` of a JSON-like value (lists, dicts, None, True/False, numbers, strings). */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return pythonFloatRepr(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return stringRepr(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(", ")}]`;
  if (typeof value === "object") {
    return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${stringRepr(k)}: ${pythonRepr(v)}`).join(", ")}}`;
  }
  return String(value);
}

/** An integral number prints as an int (JSON cannot tell 27 from 27.0); others as Python's repr. */
function pythonFloatRepr(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (!Number.isFinite(n)) return n > 0 ? "inf" : "-inf";
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return String(n);
  const s = String(n);
  // JS writes 1e-7 / 1e+21; Python writes 1e-07 / 1e+21.
  return s.replace(/e([+-])(\d)$/, "e$10$2");
}

function stringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\" || ch === quote) out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out + quote;
}
