import { DataError } from "../errors.js";
import { PyFloat } from "../py/index.js";

/**
 * CSV as `datasets`' csv builder reads it (pandas.read_csv): a header row, RFC 4180 quoting, and
 * per-column types: a column whose cells are all integers becomes numbers; one of floats, or of
 * integers with empty cells (pandas' float64), becomes `PyFloat`s, written back as `2.0`;
 * True/False becomes booleans; empty cells are null.
 */
export function readCsv(text: string, source: string): Record<string, unknown>[] {
  const records = parseRecords(text.replace(/^\uFEFF/, ""), source);
  const header = records.shift();
  if (!header) return [];
  const columns = header.map((_, i) => parseColumn(records.map((r) => r[i] ?? "")));
  return records.map((record, r) => {
    if (record.length !== header.length) {
      throw new DataError(`${source}: row ${r + 2} has ${record.length} fields but the header has ${header.length}; fix the CSV quoting`);
    }
    const row: Record<string, unknown> = {};
    header.forEach((name, i) => (row[name] = columns[i]![r]));
    return row;
  });
}

const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|nan)$/i;
const BOOL = /^(true|false)$/i;

function parseColumn(cells: string[]): unknown[] {
  const present = cells.filter((c) => c !== "");
  const ints = present.length > 0 && present.every((c) => INT.test(c) && Number.isSafeInteger(Number(c)));
  if (ints && present.length === cells.length) return cells.map(Number);
  if (ints || (present.length > 0 && present.every((c) => FLOAT.test(c)))) {
    return cells.map((c) => (c === "" ? null : new PyFloat(Number(c.replace(/inf/i, "Infinity")))));
  }
  if (present.length > 0 && present.every((c) => BOOL.test(c))) return cells.map((c) => (c === "" ? null : c.toLowerCase() === "true"));
  return cells.map((c) => (c === "" ? null : c));
}

function parseRecords(text: string, source: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = "";
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else cell += ch;
      i++;
      continue;
    }
    if (ch === '"' && cell === "") quoted = true;
    else if (ch === ",") {
      record.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      record.push(cell);
      // pandas skips blank lines.
      if (record.length > 1 || record[0] !== "") records.push(record);
      record = [];
      cell = "";
      if (ch === "\r" && text[i + 1] === "\n") i++;
    } else cell += ch;
    i++;
  }
  if (quoted) throw new DataError(`${source}: a quoted field is never closed; fix the CSV quoting`);
  if (cell !== "" || record.length > 0) {
    record.push(cell);
    records.push(record);
  }
  return records;
}
