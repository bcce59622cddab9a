import { afterAll, expect, test, vi } from "vitest";
import { closeSharedPool, runPython, sandboxLauncher } from "../../src/scoring/code/index.js";

// The fallback used where bubblewrap is missing or cannot start: rlimits + a fresh temp dir.
// Forced here with SKYTHOUGHT_SANDBOX=rlimits (each vitest file runs in its own process).
process.env.SKYTHOUGHT_SANDBOX = "rlimits";
afterAll(() => closeSharedPool());

test("says once why it falls back", async () => {
  const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
  const launcher = await sandboxLauncher();
  await sandboxLauncher();
  expect(launcher.kind).toBe("rlimits");
  expect(launcher.reason).toContain("SKYTHOUGHT_SANDBOX=rlimits");
  expect(warn).toHaveBeenCalledTimes(1);
  warn.mockRestore();
});

test("runs programs in a fresh temp dir with a scrubbed environment", async () => {
  process.env.SKYTHOUGHT_TEST_SECRET = "fallback-secret-1234";
  const r = await runPython("import os\nopen('f', 'w').write('x')\nprint(os.getcwd())\nprint(dict(os.environ))");
  expect(r.status).toBe("ok");
  expect(r.stdout).toMatch(/skythought-sandbox-[^/]+\/work\n/);
  expect(r.stdout).not.toContain("fallback-secret-1234");
  const again = await runPython("import os\nprint(os.listdir('.'))");
  expect(again.stdout).toBe("['main.py']\n");
});

test("an infinite loop times out and the next run works", async () => {
  const r = await runPython("while True:\n    pass", { timeoutMs: 800 });
  expect(r.status).toBe("timeout");
  expect((await runPython("print(1)")).stdout).toBe("1\n");
});

test("children that left the session are killed when the run ends", async () => {
  const marker = `skythought-orphan-${process.pid}`;
  const code = [
    "import os, time",
    "if os.fork() == 0:",
    "    os.setsid()",
    "    if os.fork() == 0:",
    `        os.execvp('python3', ['python3', '-c', 'import time; time.sleep(120)', '${marker}'])`,
    "    os._exit(0)",
    "time.sleep(0.5)",
    "print('spawned')",
  ].join("\n");
  expect((await runPython(code)).stdout).toBe("spawned\n");
  const { execFileSync } = await import("node:child_process");
  const left = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" }).split("\n").filter((l) => l.includes(marker));
  expect(left).toEqual([]);
});

test("memory is limited", async () => {
  const r = await runPython("x = bytearray(3 << 30)", { memoryMb: 512 });
  expect(r.status).toBe("error");
  expect(r.stderr).toContain("MemoryError");
});
