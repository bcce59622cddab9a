import { spawn } from "node:child_process";
import { join } from "node:path";
import { expect, test } from "vitest";
import { ensureBuilt, ROOT } from "../cli/build.js";
import { testModel } from "../fixtures/models.js";

// Issue 12 §1: no user-chosen n_ctx, n_batch, max_sequences, prompt length or n may reach a
// llama.cpp assertion (SIGABRT). The grid runs in a child process so that a crash fails this test
// with the case that caused it, instead of taking the test runner down.
test("every small n_ctx x n_batch x max_sequences x kv_mode gives results or a clear error, never a dead process", async () => {
  await ensureBuilt();
  const model = await testModel("tiny");
  const child = spawn(process.execPath, [join(ROOT, "test", "engine", "sizeGridChild.mjs"), join(ROOT, "dist", "engine", "index.js"), model], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c) => (stdout += c));
  child.stderr.on("data", (c) => (stderr += c));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on("close", (c, s) => resolve([c, s])));
  const lines = stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
  const lastCase = [...lines].reverse().find((l) => l.case)?.case;
  expect({ code, signal, lastCase, stderr: stderr.slice(-2000) }).toMatchObject({ code: 0, signal: null });
  expect(lines.at(-1)).toEqual({ finished: true });

  let ran = 0;
  const refusals = new Set<string>();
  for (let i = 0; i < lines.length - 1; i += 2) {
    const c = lines[i]!.case;
    const r = lines[i + 1]!;
    if (typeof r.refused === "string") {
      // A refusal is an Error naming what to change, not a crash.
      expect(r.refused, JSON.stringify(c)).toMatch(/^(EngineError|TypeError): .*(raise|lower|must be)/);
      refusals.add(r.refused.replace(/\d+/g, "N"));
      continue;
    }
    ran++;
    expect(r, JSON.stringify(c)).toMatchObject({ completions: r.expected, bad: 0 });
    for (const e of r.errors as string[]) expect(e, JSON.stringify(c)).toMatch(/(raise|lower|shorten)/);
  }
  // The grid exercises both outcomes.
  expect(ran).toBeGreaterThan(20);
  expect(refusals.size).toBeGreaterThan(1);
}, 600_000);
