import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { makeDirectory } from "../../src/makeDirectory.js";
import { ensureBuilt, ROOT } from "../cli/build.js";

const fresh = () => mkdtempSync(join(tmpdir(), "skythought-fs-"));

describe("makeDirectory", () => {
  test("creates missing parents, and is a no-op on a folder that exists", async () => {
    const dir = join(fresh(), "a", "b", "c");
    await makeDirectory(dir);
    await makeDirectory(dir);
    expect(statSync(dir).isDirectory()).toBe(true);
  });

  // Node's mkdir(..., { recursive: true }) never returns on these (it spins at 100% CPU).
  test.skipIf(!existsSync("/proc/self"))("under /proc: ENOENT naming the folder, at once", async () => {
    await expect(makeDirectory("/proc/skythought-x/y")).rejects.toMatchObject({
      code: "ENOENT",
      message: "ENOENT: /proc/skythought-x cannot be created: its filesystem has no such entries (like /proc or /sys)",
    });
  });

  test("through a dangling symbolic link: ENOTDIR naming the link", async () => {
    const root = fresh();
    symlinkSync(join(root, "gone"), join(root, "link"));
    await expect(makeDirectory(join(root, "link", "out"))).rejects.toMatchObject({
      code: "ENOTDIR",
      message: `ENOTDIR: ${join(root, "link")} exists but is not a folder (a broken symbolic link?)`,
    });
  });

  test("with a file in the way: ENOTDIR naming the file", async () => {
    const root = fresh();
    writeFileSync(join(root, "file"), "x");
    await expect(makeDirectory(join(root, "file", "a", "b"))).rejects.toMatchObject({
      code: "ENOTDIR",
      message: `ENOTDIR: ${join(root, "file")} exists and is not a folder`,
    });
  });
});

// A real full disk: a tmpfs in a user and mount namespace (util-linux unshare, unprivileged), filled.
const canMountTmpfs = spawnSync("unshare", ["--user", "--map-root-user", "--mount", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"]).status === 0;

/** Runs `body` (an ES module importing dist/) with `mnt` a full 64 KiB tmpfs; returns what it printed. */
async function onFullDisk(body: string): Promise<Record<string, string>> {
  const mnt = join(fresh(), "disk");
  mkdirSync(mnt);
  const script = join(fresh(), "probe.mjs");
  writeFileSync(script, `const dist = ${JSON.stringify(pathToFileURL(join(ROOT, "dist")).href)};\nconst mnt = ${JSON.stringify(mnt)};\n${body}`);
  const sh = [
    `mount -t tmpfs -o size=64k tmpfs '${mnt}'`,
    `echo old > '${mnt}/kept.json'`,
    `head -c 1048576 /dev/zero > '${mnt}/filler' 2>/dev/null`,
    `'${process.execPath}' '${script}'`,
  ].join("\n");
  const child = spawn("unshare", ["--user", "--map-root-user", "--mount", "sh", "-c", sh], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (c) => (out += c));
  child.stderr.on("data", (c) => (err += c));
  const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
  expect(status, err).toBe(0);
  return JSON.parse(out) as Record<string, string>;
}

describe.skipIf(!canMountTmpfs)("a full disk", () => {
  beforeAll(() => ensureBuilt(), 300_000);

  test("every write path says DiskFullError with the path, and what was there stays", async () => {
    const seen = await onFullDisk(`
const { writeFileAtomic } = await import(dist + "/writeFileAtomic.js");
const { makeDirectory } = await import(dist + "/makeDirectory.js");
const { RunStore } = await import(dist + "/runs/index.js");
const { readFileSync } = await import("node:fs");
const out = {};
const name = async (key, f) => { try { await f(); out[key] = "no error"; } catch (e) { out[key] = e.name + ": " + e.message; } };
await name("atomic", () => writeFileAtomic(mnt + "/kept.json", "x".repeat(100000)));
out.kept = readFileSync(mnt + "/kept.json", "utf8");
await name("lock", () => RunStore.open(mnt + "/run", { identity: { config: {}, configDigest: "d", seed: 1 }, overwrite: false }));
console.log(JSON.stringify(out));
`);
    expect(seen.atomic).toMatch(/^DiskFullError: disk full at .*\/disk\/kept\.json; free space and rerun to resume$/);
    expect(seen.kept).toBe("old\n");
    expect(seen.lock).toMatch(/^DiskFullError: disk full at .*\/disk\/run\/\.skythought\.lock; free space and rerun to resume$/);
  });
});
