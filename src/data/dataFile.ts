import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { DataError } from "../errors.js";
import { rowFormatList, rowFormatOf } from "./formats.js";

/** Rows of a local `--data-file`, by extension (data/formats.ts). */
export async function readDataFile(file: string): Promise<Record<string, unknown>[]> {
  if ((await stat(file).catch(() => undefined))?.isDirectory()) {
    throw new DataError(`--data-file ${file} is a folder; pass one file of rows (${rowFormatList()})`);
  }
  const format = rowFormatOf(file);
  if (!format) {
    throw new DataError(`--data-file ${file}: unsupported extension "${path.extname(file).toLowerCase()}"; use ${rowFormatList()}`);
  }
  return format.read(await readDataBytes(file), file);
}

/** The sha256 (hex) of a `--data-file`'s bytes, which run.json records like the GGUF's. */
export async function dataFileSha256(file: string): Promise<string> {
  return createHash("sha256").update(await readDataBytes(file)).digest("hex");
}

async function readDataBytes(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (e) {
    throw new DataError(`--data-file ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}
