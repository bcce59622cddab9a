import { FormatError } from "./FormatError.js";
import { applyFormatSpec } from "./formatSpec.js";
import { pyRepr } from "./pythonRepr.js";

/**
 * Python's `template.format(*values)` for an array, `template.format(**values)` for an object
 * (extra keys are ignored, as upstream formats task templates with the whole row). Supports
 * `{{`/`}}`, auto (`{}`) and manual (`{0}`) numbering, `{name.attr}` / `{name[key]}`, the
 * conversions !s !r !a and the common format specs; values go through Python's str().
 */
export function formatPython(template: string, values: readonly unknown[] | Readonly<Record<string, unknown>>): string {
  let out = "";
  let auto: number | undefined = 0;
  let manual = false;
  let i = 0;
  while (i < template.length) {
    const ch = template[i]!;
    if (ch === "}") {
      if (template[i + 1] !== "}") throw new FormatError(`Single '}' encountered in format string: ${clip(template)}`);
      out += "}";
      i += 2;
      continue;
    }
    if (ch !== "{") {
      out += ch;
      i++;
      continue;
    }
    if (template[i + 1] === "{") {
      out += "{";
      i += 2;
      continue;
    }
    const end = fieldEnd(template, i);
    const { name, conversion, spec } = splitField(template.slice(i + 1, end), template);
    const [first, rest] = splitName(name);
    let key: string | number;
    if (first === "") {
      if (manual) throw new FormatError(`cannot switch from manual field specification to automatic field numbering: ${clip(template)}`);
      key = auto!++;
    } else {
      if (/^\d+$/.test(first)) {
        if (auto! > 0) throw new FormatError(`cannot switch from automatic field numbering to manual field specification: ${clip(template)}`);
        manual = true;
      }
      key = /^\d+$/.test(first) ? Number(first) : first;
    }
    let value = lookup(values, key, template);
    for (const part of rest) value = access(value, part, name, template);
    const text = conversion === "r" ? pyRepr(value) : conversion === "a" ? asciiRepr(value) : value;
    out += applyFormatSpec(text, spec, name);
    i = end + 1;
  }
  return out;
}

/** Index of the "}" closing the field opened at `start`, allowing nested {} in the format spec. */
function fieldEnd(template: string, start: number): number {
  let depth = 0;
  for (let j = start + 1; j < template.length; j++) {
    if (template[j] === "{") depth++;
    else if (template[j] === "}") {
      if (depth === 0) return j;
      depth--;
    }
  }
  throw new FormatError(`expected '}' before end of string: ${clip(template)}`);
}

function splitField(field: string, template: string): { name: string; conversion?: string; spec: string } {
  const m = /^([^!:]*)(?:!([^:]*))?(?::(.*))?$/s.exec(field)!;
  const conversion = m[2];
  if (conversion !== undefined && !["s", "r", "a"].includes(conversion)) {
    throw new FormatError(`Unknown conversion specifier ${conversion} in ${clip(template)}`);
  }
  if (m[3]?.includes("{")) throw new FormatError(`nested fields in format specs are not supported: {${field}}`);
  return conversion === undefined ? { name: m[1]!, spec: m[3] ?? "" } : { name: m[1]!, conversion, spec: m[3] ?? "" };
}

type Access = { attr: string } | { index: string };

/** "a.b[0]" -> ["a", [{attr: "b"}, {index: "0"}]] */
function splitName(name: string): [string, Access[]] {
  const first = /^[^.[]*/.exec(name)![0];
  const rest: Access[] = [];
  for (let i = first.length; i < name.length; ) {
    const m = /^(?:\.([^.[]+)|\[([^\]]+)\])/.exec(name.slice(i));
    if (!m) throw new FormatError(`invalid field name "${name}"`);
    rest.push(m[1] !== undefined ? { attr: m[1] } : { index: m[2]! });
    i += m[0].length;
  }
  return [first, rest];
}

function lookup(values: readonly unknown[] | Readonly<Record<string, unknown>>, key: string | number, template: string): unknown {
  if (Array.isArray(values)) {
    if (typeof key === "number" && key < values.length) return values[key];
    const why = typeof key === "number" ? `Replacement index ${key} out of range for positional args tuple` : `KeyError: '${key}'`;
    throw new FormatError(`${why} in ${clip(template)}`);
  }
  const record = values as Readonly<Record<string, unknown>>;
  if (!Object.prototype.hasOwnProperty.call(record, String(key))) {
    const known = Object.keys(record).filter((k) => !k.startsWith("_"));
    throw new FormatError(`template field {${key}} is not in the values (${known.join(", ") || "none"}): ${clip(template)}`);
  }
  return record[String(key)];
}

function access(value: unknown, part: Access, name: string, template: string): unknown {
  const key = "attr" in part ? part.attr : /^\d+$/.test(part.index) ? Number(part.index) : part.index;
  if (value !== null && typeof value === "object" && Object.prototype.hasOwnProperty.call(value, key)) {
    return (value as Record<string | number, unknown>)[key];
  }
  throw new FormatError(`field {${name}}: ${pyRepr(value).slice(0, 40)} has no ${"attr" in part ? "attribute" : "item"} ${String(key)} (in ${clip(template)})`);
}

/** ascii(value): repr with every non-ASCII character escaped. */
function asciiRepr(value: unknown): string {
  return pyRepr(value).replace(/[^\x00-\x7f]/gu, (c) => {
    const cp = c.codePointAt(0)!;
    if (cp <= 0xff) return `\\x${cp.toString(16).padStart(2, "0")}`;
    return cp <= 0xffff ? `\\u${cp.toString(16).padStart(4, "0")}` : `\\U${cp.toString(16).padStart(8, "0")}`;
  });
}

function clip(template: string): string {
  return JSON.stringify(template.length > 80 ? `${template.slice(0, 77)}...` : template);
}
