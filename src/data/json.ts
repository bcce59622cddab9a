import { DataError } from "../errors.js";
import { parseJsonKeepingFloats } from "../py/index.js";

type Rows = Record<string, unknown>[];

const FLOAT_SHAPE = /\d[.eE]/;

/**
 * JSON read as Python's json module reads it: a float such as `27.0` stays a float (`PyFloat`),
 * so results.json writes it back as `27.0`, and NaN/Infinity (which Python writes) are accepted.
 * JSON.parse does the work unless the text holds something float-shaped, and words the errors.
 */
function parseJson(text: string): unknown {
  const wordedByJsonParse = (line: number, what: string): never => {
    JSON.parse(text);
    throw new SyntaxError(`line ${line}: ${what}`);
  };
  if (FLOAT_SHAPE.test(text)) return parseJsonKeepingFloats(text, { topLevelMap: false, fail: wordedByJsonParse });
  try {
    return JSON.parse(text);
  } catch (e) {
    // NaN or Infinity, which Python writes and JSON.parse refuses; anything else fails as it did.
    return parseJsonKeepingFloats(text, { topLevelMap: false, fail: () => { throw e; } });
  }
}

/** JSON lines: one object per non-blank line; a bad line is reported by number. */
export function readJsonLines(text: string, source: string): Rows {
  const rows: Rows = [];
  const lines = text.split("\n");
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = parseJson(line);
    } catch (e) {
      throw new DataError(`${source}:${i + 1}: not valid JSON (${(e as Error).message}); each line must be one JSON object`);
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new DataError(`${source}:${i + 1}: each line must be a JSON object (one row), got ${Array.isArray(value) ? "an array" : typeof value}`);
    }
    rows.push(value as Record<string, unknown>);
  });
  return rows;
}

/** A JSON file: an array of row objects, or an object holding one such array (e.g. {"data": [...]}). */
export function readJsonDocument(text: string, source: string): Rows {
  let value: unknown;
  try {
    value = parseJson(text);
  } catch (e) {
    // `datasets`' json builder also accepts JSON lines under a .json name.
    if (text.trimStart().startsWith("{")) return readJsonLines(text, source);
    throw new DataError(`${source}: not valid JSON (${(e as Error).message})`);
  }
  const arrays = Array.isArray(value)
    ? [value]
    : value !== null && typeof value === "object"
      ? Object.values(value).filter((v) => Array.isArray(v))
      : [];
  if (arrays.length !== 1 || !arrays[0]!.every((r: unknown) => r !== null && typeof r === "object" && !Array.isArray(r))) {
    throw new DataError(`${source}: expected a JSON array of row objects (or an object with exactly one such array); convert it to JSONL`);
  }
  return arrays[0] as Rows;
}
