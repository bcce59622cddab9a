import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { diskFullOr } from "./errors.js";

/**
 * Writes a file so that readers (and a rerun after kill -9 or a power loss) see either the old or
 * the new content, never a part: temp file in the same folder, fsync, rename over the target.
 * Text is written as UTF-8.
 *
 * @throws DiskFullError naming `path` when the disk is full (the old content stays); otherwise
 *   the file system's own error.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    const handle = await open(tmp, "w");
    try {
      await handle.writeFile(data, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw diskFullOr(e, path);
  }
}
