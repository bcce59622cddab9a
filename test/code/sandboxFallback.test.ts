import { afterAll, expect, test, vi } from "vitest";
import { ConfigError } from "../../src/errors.js";
import { closeSharedPool, runPython as runAnyPython, sandboxLauncher, withSandboxPolicy, type RunPythonOptions } from "../../src/scoring/code/index.js";

// The fallback used where bubblewrap is missing or cannot start: rlimits + a fresh temp dir.
// Forced here with SKYTHOUGHT_SANDBOX=rlimits (each vitest file runs in its own process).
process.env.SKYTHOUGHT_SANDBOX = "rlimits";
const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
afterAll(() => {
  warn.mockRestore();
  closeSharedPool();
});

/** runPython with the explicit opt-in the fallback needs. */
const runPython = (code: string, opts: RunPythonOptions = {}) => runAnyPython(code, { ...opts, allowUnsandboxed: true });

test("without the opt-in, code is refused: the message says why, how to install bubblewrap and how to opt in", async () => {
  const launcher = await sandboxLauncher();
  expect(launcher.kind).toBe("rlimits");
  expect(launcher.reason).toContain("SKYTHOUGHT_SANDBOX=rlimits");
  const refused = runAnyPython("print(1)");
  await expect(refused).rejects.toThrow(ConfigError);
  await expect(refused).rejects.toThrow(
    /^refusing to run generated code without a sandbox: SKYTHOUGHT_SANDBOX=rlimits is set\. .*apt-get install bubblewrap.*--allow-unsandboxed-code/,
  );
  // The ambient policy (what evaluate's scoring sets) refuses and allows the same way; a call's own option wins.
  await expect(withSandboxPolicy({ allowUnsandboxed: false }, () => runAnyPython("print(1)"))).rejects.toThrow(ConfigError);
  expect((await withSandboxPolicy({ allowUnsandboxed: true }, () => runAnyPython("print(2)"))).stdout).toBe("2\n");
  await expect(withSandboxPolicy({ allowUnsandboxed: true }, () => runAnyPython("print(3)", { allowUnsandboxed: false }))).rejects.toThrow(ConfigError);
});

test("with the opt-in, says once (for the process) that code runs unsandboxed", async () => {
  await runPython("print(1)");
  await runPython("print(1)");
  expect(warn).toHaveBeenCalledTimes(1);
  expect(String(warn.mock.calls[0]![0])).toMatch(/SKYTHOUGHT_SANDBOX=rlimits is set; generated code runs with rlimits .* as --allow-unsandboxed-code allows/);
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
