import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { threadId } from "node:worker_threads";
import { afterAll, describe, expect, test, vi } from "vitest";
import { FolderLock, LOCK_FILE } from "../../src/runs/folderLock.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function folder(): string {
  const d = mkdtempSync(join(tmpdir(), "skythought-lock-"));
  dirs.push(d);
  return d;
}

const lockOf = (pid: number, host = hostname()) => JSON.stringify({ pid, thread: threadId, hostname: host, started: "2026-01-01T00:00:00.000Z" });

describe("FolderLock", () => {
  test("importing the module installs nothing; the first lock installs one exit hook", async () => {
    vi.resetModules();
    const before = process.listenerCount("exit");
    const fresh = await import("../../src/runs/folderLock.js");
    expect(process.listenerCount("exit")).toBe(before);
    for (let i = 0; i < 2; i++) await (await fresh.FolderLock.acquire(folder())).release();
    expect(process.listenerCount("exit")).toBe(before + 1);
  });

  test("one holder at a time in a process; release frees the folder and may be repeated", async () => {
    const dir = folder();
    const lock = await FolderLock.acquire(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8"))).toMatchObject({ pid: process.pid, hostname: hostname() });
    await expect(FolderLock.acquire(dir)).rejects.toThrow(/already being written by another run in this process/);
    await lock.release();
    await lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    await (await FolderLock.acquire(dir)).release();
  });

  test("a live process's lock is refused, naming it; once it is gone the lock is taken over", async () => {
    const dir = folder();
    const child = spawn("sleep", ["30"], { stdio: "ignore" });
    await new Promise((r) => child.once("spawn", r));
    writeFileSync(join(dir, LOCK_FILE), lockOf(child.pid!));
    await expect(FolderLock.acquire(dir)).rejects.toThrow(new RegExp(`being written by skythought process ${child.pid} since .*; wait for it to finish or stop it \\(if that process is gone, delete .*${LOCK_FILE}\\)`));
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    const lock = await FolderLock.acquire(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8")).pid).toBe(process.pid);
    await lock.release();
  });

  test("another machine's lock is refused (its processes cannot be checked)", async () => {
    const dir = folder();
    writeFileSync(join(dir, LOCK_FILE), lockOf(1, "some-other-host"));
    await expect(FolderLock.acquire(dir)).rejects.toThrow(/process 1 on some-other-host/);
  });

  test("a damaged lock, and one with our own pid that we do not hold (a container's earlier run), are stale", async () => {
    for (const content of ["{not json", lockOf(process.pid)]) {
      const dir = folder();
      writeFileSync(join(dir, LOCK_FILE), content);
      await (await FolderLock.acquire(dir)).release();
      expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    }
  });
});
