import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { makeDirectory } from "../makeDirectory.js";
import { writeFileAtomic } from "../writeFileAtomic.js";

/** Where file digests are cached (a 30 GB GGUF is not rehashed on every resume). */
export function defaultHashCacheFile(): string {
  const root = process.env["SKYTHOUGHT_CACHE"] ?? join(homedir(), ".cache", "skythought");
  return join(root, "sha256-cache.json");
}

type Cache = Record<string, { size: number; mtimeMs: number; sha256: string }>;

/**
 * The file's sha256 (streamed), cached by absolute path + size + mtime. A cache that cannot be
 * read or written only costs a rehash.
 */
export async function fileSha256(path: string, opts: { cacheFile?: string; signal?: AbortSignal | undefined } = {}): Promise<string> {
  const abs = resolve(path);
  const st = await stat(abs);
  const cacheFile = opts.cacheFile ?? defaultHashCacheFile();
  const cache = await readCache(cacheFile);
  const hit = cache[abs];
  if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return hit.sha256;

  const hash = createHash("sha256");
  for await (const chunk of createReadStream(abs, { highWaterMark: 1 << 22, signal: opts.signal })) hash.update(chunk as Buffer);
  const sha256 = hash.digest("hex");
  try {
    const fresh = await readCache(cacheFile);
    fresh[abs] = { size: st.size, mtimeMs: st.mtimeMs, sha256 };
    await makeDirectory(join(cacheFile, ".."));
    await writeFileAtomic(cacheFile, JSON.stringify(fresh, null, 1));
  } catch {
    // A read-only cache folder: the digest is still right, it is just recomputed next time.
  }
  return sha256;
}

async function readCache(file: string): Promise<Cache> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as Cache;
  } catch {
    return {};
  }
}
