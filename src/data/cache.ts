import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { DataError, DiskFullError } from "../errors.js";
import { makeDirectory } from "../makeDirectory.js";
import { writeFileAtomic } from "../writeFileAtomic.js";

/** Default cache root; override with the `cacheDir` option or SKYTHOUGHT_DATASETS_CACHE. */
export function defaultCacheDir(): string {
  return process.env["SKYTHOUGHT_DATASETS_CACHE"] ?? path.join(os.homedir(), ".cache", "skythought", "datasets");
}

/** One folder name per key part: "/" and other unsafe characters escaped, readable otherwise. */
function segment(part: string): string {
  return part.replace(/[^A-Za-z0-9._-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** `<root>/hub/<owner%2fname>/<config>/<split>/<revision>`: one folder per loaded split. */
export function hubCacheDir(root: string, dataset: string, config: string, split: string, revision: string): string {
  return path.join(root, "hub", segment(dataset), segment(config), segment(split), segment(revision));
}

export function urlCacheDir(root: string, url: string): string {
  return path.join(root, "url", createHash("sha256").update(url).digest("hex").slice(0, 24));
}

export interface CachedFile {
  /** File name inside the cache folder. */
  name: string;
  /** Where it was downloaded from. */
  url: string;
}

export interface Manifest {
  source: string;
  files: CachedFile[];
  fetchedAt: string;
}

/** The manifest is written last, so a folder without one is an unfinished download and is ignored. */
export async function readManifest(dir: string): Promise<Manifest | null> {
  try {
    return JSON.parse(await readFile(path.join(dir, "manifest.json"), "utf8")) as Manifest;
  } catch {
    return null;
  }
}

/**
 * Writes downloaded files and then the manifest, each synced and renamed into place, so that
 * parallel runs, interrupted downloads and power losses never leave a cache entry whose manifest
 * lists a file that is not all there.
 */
export async function writeCacheEntry(dir: string, source: string, files: { file: CachedFile; bytes: Uint8Array }[]): Promise<void> {
  try {
    await makeDirectory(dir);
    for (const { file, bytes } of files) await writeFileAtomic(path.join(dir, file.name), bytes);
    const manifest: Manifest = { source, files: files.map((f) => f.file), fetchedAt: new Date().toISOString() };
    await writeFileAtomic(path.join(dir, "manifest.json"), JSON.stringify(manifest, null, 2));
  } catch (e) {
    if (e instanceof DiskFullError) throw e;
    throw new DataError(
      `cannot write the dataset cache ${dir} (${(e as Error).message}); set SKYTHOUGHT_DATASETS_CACHE to a writable folder`,
    );
  }
}
