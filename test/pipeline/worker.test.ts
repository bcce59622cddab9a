import { existsSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { expect, test } from "vitest";
import { useBuiltCliAndFakeServer } from "../cli/fakeOpenAIServer.js";
import { makeWorkspace } from "./fixtures.js";

const fake = useBuiltCliAndFakeServer();

test("evaluate runs in a worker thread via `import { evaluate } from \"skythought\"`", async () => {
  const ws = makeWorkspace(3);
  const worker = new Worker(new URL("./workerEntry.mjs", import.meta.url), {
    workerData: {
      task: "tiny_math", tasksDir: ws.tasksDir, dataFile: ws.dataFile, model: "fake/served", backend: "openai",
      backendArgs: `base_url=${fake.server.url}`, samplingParams: "temperature=0.6,max_tokens=32", n: 2, resultDir: ws.resultDir,
    },
  });
  const result = await new Promise<{ ok: boolean; runDir?: string; error?: string; events?: string[] }>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  await worker.terminate();
  expect(result.error).toBeUndefined();
  expect(result.ok).toBe(true);
  expect(existsSync(join(result.runDir!, "results.json"))).toBe(true);
  expect(result.events).toEqual(expect.arrayContaining(["run", "progress", "scoring"]));
});
