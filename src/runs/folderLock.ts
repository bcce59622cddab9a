import { readFileSync, unlinkSync } from "node:fs";
import { link, readFile, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { threadId } from "node:worker_threads";
import { diskFullOr, RunError } from "../errors.js";

/** The lock file's name in a run folder (not one of upstream's files; `--overwrite` leaves it). */
export const LOCK_FILE = ".skythought.lock";

interface LockOwner {
  pid: number;
  /** worker_threads' id: runs in two workers of one process (an Electron app) are told apart. */
  thread: number;
  hostname: string;
  started: string;
}

/** Folders this thread holds, so a second run on one of them in the same thread is refused too. */
const held = new Set<string>();
let exitHookInstalled = false;

// A process that exits without releasing (an uncaught error, process.exit) still removes its
// locks; only a kill -9 or a crash leaves one behind, and the next run sees its pid is gone.
// Installed by the first lock, not on import: an app that embeds the library and never runs
// anything gets no listener.
function removeHeldLocksOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const file of held) {
      try {
        if (isOurs(readOwner(readFileSync(file, "utf8")))) unlinkSync(file);
      } catch {
        // already gone
      }
    }
  });
}

/**
 * One writer per run folder: `evaluate`/`generate`/`score` hold this while they write, so two
 * processes (or two calls in one) never interleave samples or rewrite each other's results. A
 * lock whose process is gone (killed with -9) is taken over; one held by a live process, or by
 * another machine (whose processes cannot be checked), is refused with what to do.
 */
export class FolderLock {
  private constructor(private readonly file: string) {}

  static async acquire(dir: string): Promise<FolderLock> {
    const file = join(dir, LOCK_FILE);
    if (held.has(file)) throw new RunError(`${dir} is already being written by another run in this process; wait for it to finish`);
    // Two tries: a stale lock is removed once; if another process took the folder meanwhile, its
    // lock is reported like any live one.
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await create(file)) {
        removeHeldLocksOnExit();
        held.add(file);
        return new FolderLock(file);
      }
      // Unreadable content (a damaged file) counts as stale.
      const owner = readOwner(await readFile(file, "utf8").catch(() => ""));
      if (owner && (!isStale(owner) || attempt > 0)) {
        const who = owner.hostname === hostname() ? `process ${owner.pid}` : `process ${owner.pid} on ${owner.hostname}`;
        throw new RunError(
          `${dir} is being written by skythought ${who} since ${owner.started}; wait for it to finish or stop it ` +
            `(if that process is gone, delete ${file})`,
        );
      }
      await unlink(file).catch(() => {});
    }
    throw new RunError(`cannot lock the run folder ${dir}: ${file} keeps reappearing; delete it if no skythought process runs there`);
  }

  /** Removes the lock file if it is still ours; safe to call more than once. */
  async release(): Promise<void> {
    if (!held.delete(this.file)) return;
    const owner = readOwner(await readFile(this.file, "utf8").catch(() => ""));
    if (isOurs(owner)) await unlink(this.file).catch(() => {});
  }
}

/**
 * Creates the lock file with our name in it, atomically (written aside, then hard-linked into
 * place, so no one ever reads it half-written); false if it exists.
 */
async function create(file: string): Promise<boolean> {
  const aside = `${file}.${process.pid}.${Date.now()}`;
  const owner: LockOwner = { pid: process.pid, thread: threadId, hostname: hostname(), started: new Date().toISOString() };
  try {
    await writeFile(aside, JSON.stringify(owner) + "\n", { flag: "wx" });
    try {
      await link(aside, file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "EPERM" && code !== "ENOTSUP" && code !== "ENOSYS") throw e;
      // A filesystem without hard links: exclusive create, then write.
      await writeFile(file, JSON.stringify(owner) + "\n", { flag: "wx" });
    }
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    const full = diskFullOr(e, file);
    throw full !== e ? full : new RunError(`cannot lock the run folder: ${(e as Error).message}`);
  } finally {
    await unlink(aside).catch(() => {});
  }
}

function readOwner(text: string): LockOwner | undefined {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    if (typeof o.pid !== "number" || typeof o.hostname !== "string") return undefined;
    return { pid: o.pid, thread: typeof o.thread === "number" ? o.thread : 0, hostname: o.hostname, started: String(o.started) };
  } catch {
    return undefined;
  }
}

function isOurs(owner: LockOwner | undefined): boolean {
  return owner !== undefined && owner.pid === process.pid && owner.thread === threadId && owner.hostname === hostname();
}

// A lock of a process that no longer runs. Our own pid and thread in a lock we do not hold is an
// earlier process's (in containers pids repeat from one run to the next); another thread of ours
// is alive.
function isStale(owner: LockOwner): boolean {
  if (owner.hostname !== hostname()) return false;
  if (owner.pid === process.pid) return owner.thread === threadId;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ESRCH";
  }
}
