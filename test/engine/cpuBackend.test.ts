import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, test } from "vitest";
import { ensureBuilt, ROOT } from "../cli/build.js";
import { testModel } from "../fixtures/models.js";

// The default install compiles ggml's CPU backend for this CPU (native/build/cpu-backend.mjs)
// because node-llama-cpp's prebuilt CPU kernels are slow (docs/performance.md). The addon is
// loaded once per process, so each case runs in a child process of its own, on dist/.

const built = existsSync(join(ROOT, "native", "cpu-backend", "libggml-cpu.so"));

async function loaded(modelPath: string, env: Record<string, string>): Promise<{ cpuBackend: string; text: string }> {
  const script = `
    const { LlamaModel } = await import(${JSON.stringify(join(ROOT, "dist", "engine", "index.js"))});
    const model = await LlamaModel.load(process.argv[1], { gpu: "cpu" });
    const engine = await model.createEngine({ nCtx: 512, maxSequences: 1, threads: 1 });
    let text = "";
    for await (const c of engine.generate([{ prompt: "The cat", sampling: { max_tokens: 8, ignore_eos: true } }])) text = c.text;
    await model.close();
    console.log(JSON.stringify({ cpuBackend: model.gpu.cpuBackend, text }));`;
  const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script, modelPath], { cwd: ROOT, env: { ...process.env, ...env } });
  return JSON.parse(stdout);
}

describe.skipIf(!built)("the CPU backend compiled at install (skipped where npm install could not build it)", () => {
  beforeAll(async () => {
    await ensureBuilt();
  }, 300_000);

  test("the prebuilt build runs it; SKYTHOUGHT_CPU_BACKEND=prebuilt keeps node-llama-cpp's; both generate", async () => {
    const model = await testModel("tiny");
    const compiled = await loaded(model, { SKYTHOUGHT_ADDON: "prebuilt", SKYTHOUGHT_CPU_BACKEND: "" });
    const prebuilt = await loaded(model, { SKYTHOUGHT_ADDON: "prebuilt", SKYTHOUGHT_CPU_BACKEND: "prebuilt" });
    expect(compiled.cpuBackend).toBe("compiled");
    expect(prebuilt.cpuBackend).toBe("prebuilt");
    expect(compiled.text.length).toBeGreaterThan(0);
    expect(prebuilt.text.length).toBeGreaterThan(0);
  });
});
