import { FormatError } from "./FormatError.js";
import { PyFloat, pyFloatRepr } from "./pyValue.js";
import { pyStr } from "./pythonRepr.js";

// [[fill]align][sign][0][width][,][.precision][type]: the part of Python's format-spec mini-language
// that prompt templates plausibly use. Anything else is refused rather than formatted differently.
const SPEC = /^(?:(.)?([<>=^]))?([+\- ])?(0)?(\d+)?(,)?(?:\.(\d+))?([sdfF%eE])?$/su;

/** format(value, spec) for str(), int-like and float values. */
export function applyFormatSpec(given: unknown, spec: string, field: string): string {
  if (spec === "") return pyStr(given);
  // A dataset's float (PyFloat) formats as a float even when integral: "{:>6}" of 27.0 is "  27.0".
  const float = given instanceof PyFloat;
  const value = float ? given.value : given;
  const m = SPEC.exec(spec);
  if (!m) throw new FormatError(`format spec "${spec}" of field {${field}} is not supported`);
  const [, fillChar, alignChar, sign, zero, widthText, comma, precisionText, type] = m;
  const precision = precisionText === undefined ? undefined : Number(precisionText);
  const numeric = typeof value === "number" || typeof value === "bigint";
  let body: string;
  if (!numeric) {
    if (typeof value !== "string") throw new FormatError(`field {${field}}: format spec "${spec}" needs a string or a number`);
    if (sign || comma || zero || alignChar === "=" || (type && type !== "s")) {
      throw new FormatError(`field {${field}}: format spec "${spec}" does not apply to a string`);
    }
    body = precision === undefined ? value : [...value].slice(0, precision).join("");
  } else {
    body = formatNumber(value, { sign: sign ?? "-", comma: !!comma, precision, type, field, spec, float });
  }
  const width = widthText === undefined ? 0 : Number(widthText);
  const align = alignChar ?? (zero && numeric ? "=" : numeric ? ">" : "<");
  const fill = fillChar ?? (zero && !alignChar ? "0" : " ");
  return pad(body, width, align, fill);
}

function formatNumber(
  value: number | bigint,
  o: { sign: string; comma: boolean; precision?: number | undefined; type?: string | undefined; field: string; spec: string; float: boolean },
): string {
  const negative = typeof value === "bigint" ? value < 0n : value < 0 || Object.is(value, -0);
  const abs = typeof value === "bigint" ? (negative ? -value : value) : Math.abs(value);
  let digits: string;
  const integral = typeof abs === "bigint" || (!o.float && Number.isInteger(abs));
  if (o.type === "d" || (o.type === undefined && integral && o.precision === undefined)) {
    if (!integral) throw new FormatError(`field {${o.field}}: format spec "${o.spec}" needs an integer`);
    digits = typeof abs === "bigint" ? abs.toString() : abs < 1e21 ? String(abs) : BigInt(abs).toString();
  } else {
    const f = Number(abs);
    const p = o.precision ?? 6;
    if (o.type === "f" || o.type === "F") digits = f.toFixed(p);
    else if (o.type === "%") digits = `${(f * 100).toFixed(p)}%`;
    else if (o.type === "e" || o.type === "E") {
      digits = f.toExponential(p).replace(/e([+-])(\d)$/, "e$10$2");
      if (o.type === "E") digits = digits.toUpperCase();
    } else if (o.precision === undefined) digits = pyFloatRepr(f);
    else throw new FormatError(`field {${o.field}}: format spec "${o.spec}" (general float format) is not supported`);
  }
  if (o.comma) digits = digits.replace(/^\d+/, (int) => int.replace(/\B(?=(\d{3})+$)/g, ","));
  const signText = negative ? "-" : o.sign === "+" ? "+" : o.sign === " " ? " " : "";
  return `${signText}\u0000${digits}`;
}

/** Pads to width; "\u0000" marks where "=" alignment puts the fill (after the sign). */
function pad(body: string, width: number, align: string, fill: string): string {
  const plain = body.replace("\u0000", "");
  const room = width - [...plain].length;
  if (room <= 0) return plain;
  if (align === "=") return body.replace("\u0000", fill.repeat(room));
  if (align === ">") return fill.repeat(room) + plain;
  if (align === "^") return fill.repeat(Math.floor(room / 2)) + plain + fill.repeat(room - Math.floor(room / 2));
  return plain + fill.repeat(room);
}
