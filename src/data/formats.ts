import path from "node:path";
import { readCsv } from "./csv.js";
import { readJsonDocument, readJsonLines } from "./json.js";
import { readParquet } from "./parquet.js";

type Rows = Record<string, unknown>[];

/** A file format rows are read from, known by the file's extension. */
export interface RowFormat {
  /** Lower-case, with the dot. */
  extensions: readonly string[];
  /** `columns`: only these, in this order (a missing one as null); all when absent. */
  read(bytes: Uint8Array, source: string, columns?: string[]): Promise<Rows> | Rows;
}

const utf8 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");

function textFormat(extensions: string[], parse: (text: string, source: string) => Rows): RowFormat {
  return {
    extensions,
    read(bytes, source, columns) {
      const rows = parse(utf8(bytes), source);
      return columns ? rows.map((row) => Object.fromEntries(columns.map((c) => [c, row[c] ?? null]))) : rows;
    },
  };
}

export const JSON_LINES = textFormat([".jsonl", ".ndjson"], readJsonLines);

/**
 * Every format of `--data-file`, Hub repository files and URL datasets: one line here adds a
 * format everywhere.
 */
export const ROW_FORMATS: readonly RowFormat[] = [
  JSON_LINES,
  textFormat([".json"], readJsonDocument),
  textFormat([".csv"], readCsv),
  { extensions: [".parquet"], read: readParquet },
];

/** The format of a file name (or path), by its extension; undefined for an unknown one. */
export function rowFormatOf(file: string): RowFormat | undefined {
  const ext = path.extname(file).toLowerCase();
  return ROW_FORMATS.find((f) => f.extensions.includes(ext));
}

/** ".jsonl, .ndjson, .json, .csv or .parquet", for messages. */
export function rowFormatList(): string {
  const all = ROW_FORMATS.flatMap((f) => f.extensions);
  return `${all.slice(0, -1).join(", ")} or ${all[all.length - 1]}`;
}
