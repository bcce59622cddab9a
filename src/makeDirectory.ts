import { mkdir, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { diskFullOr } from "./errors.js";

/**
 * Creates a folder and its missing parents, like `mkdir -p`, with a bounded number of system
 * calls. Not Node's `mkdir(dir, { recursive: true })`: where a filesystem answers ENOENT for a new
 * child of a folder that exists (/proc, /sys, a dangling symbolic link), Node's walk steps back to
 * the parent (EEXIST), forward again (ENOENT), and spins at 100% CPU forever in native code, which
 * a signal cannot interrupt (nodejs/node's recursive mkdir; Bun fixed the same walk in #40600).
 * Here each missing folder is created once, parents first.
 *
 * @throws the failing step's own errno error (ENOENT, ENOTDIR, EACCES, EROFS...), its message
 *   naming the folder; DiskFullError when the disk is full. Callers add which option chose it.
 */
export async function makeDirectory(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let at = resolve(dir); ; at = dirname(at)) {
    const kind = await entryKind(at);
    if (kind === "directory") break;
    if (kind === "other") throw errno("ENOTDIR", `${at} exists and is not a folder`, at);
    missing.push(at);
    if (dirname(at) === at) break;
  }
  for (const folder of missing.reverse()) {
    try {
      await mkdir(folder);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EEXIST" && (await entryKind(folder)) === "directory") continue;
      if (code === "EEXIST") throw errno("ENOTDIR", `${folder} exists but is not a folder (a broken symbolic link?)`, folder);
      if (code === "ENOENT") throw errno("ENOENT", `${folder} cannot be created: its filesystem has no such entries (like /proc or /sys)`, folder);
      throw diskFullOr(e, folder);
    }
  }
}

async function entryKind(path: string): Promise<"directory" | "other" | "missing"> {
  try {
    return (await stat(path)).isDirectory() ? "directory" : "other";
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // ENOTDIR: a file on the way, reported when the walk reaches it.
    if (code === "ENOENT" || code === "ENOTDIR") return "missing";
    throw e;
  }
}

function errno(code: string, message: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}`), { code, path });
}
