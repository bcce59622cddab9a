import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { writeRandomModel } from "../../src/gguf/index.js";
import { LlamaModel, type EngineCompletion, type EngineRequest, type LlamaEngine } from "../../src/engine/index.js";
import { testModel } from "../fixtures/models.js";

let model: LlamaModel;
// q8_0 KV blocks are 32 values wide, so it needs head sizes that are multiples of 32; the "tiny"
// preset's heads are 16 wide. This model has two 32-wide heads.
let model32: LlamaModel;
let dir: string;

beforeAll(async () => {
  model = await LlamaModel.load(await testModel("tiny"), { gpu: "cpu" });
  dir = mkdtempSync(join(tmpdir(), "skythought-precision-"));
  const path = join(dir, "head32.gguf");
  await writeRandomModel(path, { architecture: "qwen2", vocab: "synthetic", embeddingLength: 64, blockCount: 2, feedForwardLength: 128, headCount: 2, headCountKv: 2, weightType: "f32" });
  model32 = await LlamaModel.load(path, { gpu: "cpu" });
});

afterAll(async () => {
  await model?.close();
  await model32?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function collect(engine: LlamaEngine, requests: EngineRequest[]): Promise<EngineCompletion[]> {
  const out: EngineCompletion[] = [];
  for await (const c of engine.generate(requests)) out.push(c);
  return out.sort((a, b) => a.requestIndex - b.requestIndex || a.sampleIndex - b.sampleIndex);
}

const REQUESTS: EngineRequest[] = [
  { prompt: "The capital of France is", sampling: { max_tokens: 12, ignore_eos: true } },
  { prompt: "1 + 1 =", n: 2, sampling: { temperature: 0.7, seed: 1, max_tokens: 12, ignore_eos: true } },
];

describe("every KV cache type loads and generates", () => {
  // `used` is what the engine reports llama.cpp chose: the CPU backend runs flash attention, so
  // "auto" becomes "on", and a quantised V cache needs it.
  const cases = [
    { kvType: "f32", flashAttn: "off", used: "off" },
    { kvType: "f16", flashAttn: "auto", used: "on" },
    { kvType: "bf16", flashAttn: "on", used: "on" },
    { kvType: "q8_0", flashAttn: "on", used: "on" },
    { kvType: "q8_0", flashAttn: "auto", used: "on" },
  ] as const;
  test.each(cases)("kv $kvType, flash attention $flashAttn", async ({ kvType, flashAttn, used }) => {
    const engine = await model32.createEngine({ nCtx: 1024, maxSequences: 4, threads: 1, kvType, flashAttn });
    expect(engine.info).toMatchObject({ kvType, flashAttn: used, maxSequences: 4, nCtxPerSequence: 256 });
    const out = await collect(engine, REQUESTS);
    await engine.close();
    expect(out).toHaveLength(3);
    for (const c of out) expect(c).toMatchObject({ finishReason: "length", completionTokens: 12 });
    expect(out[0]!.text.length).toBeGreaterThan(0);
  });
});

test("q8_0 KV on heads that are not a multiple of 32 is refused with the fix", async () => {
  await expect(model.createEngine({ nCtx: 1024, maxSequences: 4, kvType: "q8_0" })).rejects.toThrow(/multiple of 32, and this model's are 16\/16; use kv_type f16 or bf16/);
});

describe("two engines in one process", () => {
  test("run at the same time, on one model and on two, with the results of a lone engine", async () => {
    const reference = await model.createEngine({ nCtx: 1024, maxSequences: 4, threads: 1, kvType: "f32" });
    const expected = await collect(reference, REQUESTS);
    await reference.close();

    const other = await LlamaModel.load(await testModel("tiny-llama"), { gpu: "cpu" });
    const [a, b, c] = await Promise.all([
      model.createEngine({ nCtx: 1024, maxSequences: 4, threads: 1, kvType: "f32" }),
      model.createEngine({ nCtx: 512, maxSequences: 2, threads: 1, kvType: "f32" }),
      other.createEngine({ nCtx: 512, maxSequences: 2, threads: 1 }),
    ]);
    const [ra, rb, rc] = await Promise.all([collect(a!, REQUESTS), collect(b!, REQUESTS), collect(c!, [{ prompt: "hello", sampling: { max_tokens: 8, ignore_eos: true } }])]);
    expect(ra.map((x) => x.text)).toEqual(expected.map((x) => x.text));
    expect(rb.map((x) => x.text)).toEqual(expected.map((x) => x.text));
    expect(rc[0]).toMatchObject({ finishReason: "length", completionTokens: 8 });
    // Closing the model closes its engines.
    await other.close();
    expect(c!.closed).toBe(true);
    await Promise.all([a!.close(), b!.close()]);
  });
});
