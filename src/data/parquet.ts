import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { parquetMetadata, parquetReadObjects, parquetSchema, type AsyncBuffer, type FileMetaData } from "hyparquet";
import { decompressLz4, decompressLz4Raw, decompressZstd } from "hyparquet-compressors";
import { DataError } from "../errors.js";
import { PyFloat } from "../py/index.js";

/**
 * Codecs beyond hyparquet's built-in SNAPPY (what the Hub's parquet export uses): GZIP and BROTLI
 * through Node's zlib, ZSTD (polars' default) and LZ4 through hyparquet-compressors,
 * the pure-JS decoders from hyparquet's author (Node 20's zlib has no zstd).
 */
const compressors = {
  GZIP: (input: Uint8Array) => new Uint8Array(gunzipSync(input)),
  BROTLI: (input: Uint8Array) => new Uint8Array(brotliDecompressSync(input)),
  ZSTD: (input: Uint8Array) => decompressZstd(input),
  LZ4: decompressLz4,
  LZ4_RAW: decompressLz4Raw,
};

/**
 * Reads every row of a parquet file in file order, with plain JSON-able values; a FLOAT or DOUBLE
 * column's values are `PyFloat`, so `27.0` is written back as `27.0` as Python does.
 */
export async function readParquet(bytes: Uint8Array, source: string, columns?: string[]): Promise<Record<string, unknown>[]> {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const file: AsyncBuffer = { byteLength: buffer.byteLength, slice: (start, end) => buffer.slice(start, end) };
  let rows: Record<string, unknown>[];
  let floats: string[];
  try {
    // Parsed once: the reader takes it, and it tells which columns are floats.
    const metadata = parquetMetadata(buffer);
    floats = floatColumns(metadata);
    rows = await parquetReadObjects({ file, metadata, compressors, utf8: true, ...(columns ? { columns } : {}) });
  } catch (e) {
    const message = (e as Error).message;
    const hint = /codec|compress/i.test(message) ? "; re-export it with SNAPPY, GZIP or ZSTD compression, or convert it to JSONL" : "";
    throw new DataError(`${source}: cannot read parquet (${message})${hint}`);
  }
  return rows.map((row) => {
    const plain = plainValue(row) as Record<string, unknown>;
    for (const key of floats) if (typeof plain[key] === "number") plain[key] = new PyFloat(plain[key]);
    return plain;
  });
}

/** Top-level columns of a floating-point type. */
function floatColumns(metadata: FileMetaData): string[] {
  const root = parquetSchema(metadata);
  return root.children.filter((c) => c.children.length === 0 && (c.element.type === "DOUBLE" || c.element.type === "FLOAT")).map((c) => c.element.name);
}

/**
 * int64 columns arrive as BigInt and timestamps as Date; rows must survive JSON (results.json), so
 * integers become numbers (exact up to 2^53, which covers dataset ids and labels) and dates ISO text.
 */
function plainValue(value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plainValue);
  if (value !== null && typeof value === "object" && !(value instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = plainValue(v);
    return out;
  }
  return value;
}
