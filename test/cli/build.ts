import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

export const ROOT = new URL("../..", import.meta.url).pathname;
export const CLI = join(ROOT, "dist", "cli", "main.js");

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : /\.(ts|py)$/.test(e.name) ? statSync(p).mtimeMs : 0);
  }
  return newest;
}

/**
 * Builds dist/ (`npm run build`: tsc, then the Python programs copied) when it is older than src/,
 * once across parallel test workers (a mkdir lock). Type errors elsewhere in the tree do not stop
 * tsc from emitting, so only a missing dist/cli/main.js fails.
 */
export async function ensureBuilt(): Promise<void> {
  const lock = join(ROOT, "dist.build-lock");
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (waited > 240_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    const fresh = existsSync(CLI) && statSync(CLI).mtimeMs >= newestSource(join(ROOT, "src"));
    if (!fresh) {
      await promisify(execFile)(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(ROOT, "src")], {
        cwd: ROOT,
        maxBuffer: 1 << 24,
      }).catch(() => undefined);
      if (!existsSync(CLI)) throw new Error(`tsc -p src did not produce ${CLI}; run it to see why`);
      await promisify(execFile)("npm", ["run", "--silent", "build:python"], { cwd: ROOT });
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
