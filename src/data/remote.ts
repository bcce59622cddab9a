import path from "node:path";
import { readFile } from "node:fs/promises";
import { DataError } from "../errors.js";
import { hubCacheDir, readManifest, urlCacheDir, writeCacheEntry, type CachedFile } from "./cache.js";
import { JSON_LINES, rowFormatOf } from "./formats.js";
import { getBytes, type HttpOptions } from "./http.js";
import { hubFile, resolveParquetExport, resolveRevisionFiles, type HubEndpoints, type HubFile } from "./hub.js";
import { scriptDataFiles } from "./scriptDatasets.js";
import type { DatasetSpec } from "./types.js";

export interface RemoteOptions {
  cacheDir: string;
  offline: boolean;
  endpoints: HubEndpoints;
  http: HttpOptions;
}

type Rows = Record<string, unknown>[];

const OFFLINE_HINT = "run once with network access to cache it, or pass --data-file PATH (JSONL, JSON, CSV or Parquet rows of that split)";

/**
 * A Hub split: from the cache when present, else downloaded: the raw files a loading-script
 * dataset's script reads, the raw files at a pinned revision, or the parquet export.
 */
export async function loadHubRows(spec: DatasetSpec, opts: RemoteOptions): Promise<Rows> {
  const split = spec.split ?? null;
  if (split === null) {
    throw new DataError(`dataset ${spec.path}: no split given; set dataset_split in the task file`);
  }
  const revisionValue = spec.kwargs?.["revision"];
  const revision = typeof revisionValue === "string" && revisionValue !== "" && revisionValue !== "main" ? revisionValue : null;
  const scripted = scriptDataFiles(spec.path, split, spec.kwargs);
  const config = spec.subset ?? scripted?.config ?? null;
  const dir = hubCacheDir(opts.cacheDir, spec.path, config ?? "(auto)", split, revision ?? "main");
  const cached = await readCached(dir, spec.columns);
  if (cached) return cached;
  const label = `dataset ${spec.path} (config ${config ?? "auto"}, split ${split}, revision ${revision ?? "main"})`;
  if (opts.offline) throw new DataError(`${label} is not in the cache ${dir} and HF_HUB_OFFLINE is set; ${OFFLINE_HINT}`);
  const files = scripted
    ? scripted.files.map((p) => hubFile(opts.endpoints, spec.path, revision ?? "main", p))
    : revision
      ? (await resolveRevisionFiles(spec.path, config, split, revision, opts.endpoints, opts.http)).files
      : (await resolveParquetExport(spec.path, config, split, opts.endpoints, opts.http)).files;
  return download(dir, label, files, opts, spec.columns);
}

/** A dataset given by URL (upstream's `json` builder): cached by URL. */
export async function loadUrlRows(url: string, opts: RemoteOptions): Promise<Rows> {
  const dir = urlCacheDir(opts.cacheDir, url);
  const cached = await readCached(dir);
  if (cached) return cached;
  if (opts.offline) throw new DataError(`dataset ${url} is not in the cache ${dir} and HF_HUB_OFFLINE is set; ${OFFLINE_HINT}`);
  const name = new URL(url).pathname.split("/").pop() ?? "data.jsonl";
  return download(dir, `dataset ${url}`, [{ url, path: name }], opts);
}

async function download(dir: string, label: string, files: HubFile[], opts: RemoteOptions, columns?: string[]): Promise<Rows> {
  const fetched: { file: CachedFile; bytes: Uint8Array }[] = [];
  for (const [i, file] of files.entries()) {
    const ext = path.extname(file.path).toLowerCase() || ".jsonl";
    fetched.push({ file: { name: `${String(i).padStart(5, "0")}${ext}`, url: file.url }, bytes: await getBytes(file.url, label, opts.http) });
  }
  // Parse before caching, so that a file we cannot read never lands in the cache.
  const rows: Rows = [];
  for (const { file, bytes } of fetched) rows.push(...(await parseRows(bytes, file.name, file.url, columns)));
  await writeCacheEntry(dir, label, fetched);
  return rows;
}

async function readCached(dir: string, columns?: string[]): Promise<Rows | null> {
  const manifest = await readManifest(dir);
  if (!manifest) return null;
  const rows: Rows = [];
  for (const file of manifest.files) {
    const full = path.join(dir, file.name);
    let bytes: Buffer;
    try {
      bytes = await readFile(full);
    } catch {
      throw new DataError(`cache entry ${dir} lists ${file.name} but it is missing; delete the folder to download it again`);
    }
    rows.push(...(await parseRows(bytes, file.name, full, columns)));
  }
  return rows;
}

/** A cached file by its name's format; a URL dataset's file of another name is JSON lines (upstream's json builder). */
async function parseRows(bytes: Uint8Array, name: string, source: string, columns?: string[]): Promise<Rows> {
  return (rowFormatOf(name) ?? JSON_LINES).read(bytes, source, columns);
}
