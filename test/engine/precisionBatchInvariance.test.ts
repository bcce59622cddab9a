import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { LlamaModel, type EngineCompletion, type EngineRequest, type LlamaEngine } from "../../src/engine/index.js";
import type { RandomModelPreset } from "../../src/gguf/index.js";
import { testModel } from "../fixtures/models.js";

// deterministic: true promises that a sample's logits, and so its text at any temperature, are
// bit for bit those it gets alone, whatever else is in the batch. On the CPU that needs every
// matrix product of a token to take the same kernel: llama.cpp's tinyBLAS only runs for two or
// more rows, and repacked Q4_K weights switch from gemv to gemm at four (docs/performance.md).

const WEIGHTS: { weightType: "f32" | "f16" | "bf16" | "q8_0" | "q4_K"; preset: RandomModelPreset }[] = [
  { weightType: "f32", preset: "tiny" },
  { weightType: "f16", preset: "tiny" },
  { weightType: "bf16", preset: "tiny" },
  { weightType: "q8_0", preset: "tiny" },
  { weightType: "q4_K", preset: "tiny-256" },
];

// Prompts of 9 to 99 words: some span two 64-token prefill chunks.
const REQUESTS: EngineRequest[] = Array.from({ length: 16 }, (_, i) => ({
  prompt: `Problem ${i}: ` + Array.from({ length: 9 + 6 * i }, (_, j) => ["add", "the", "two", "numbers", "then", "halve"][(i + j) % 6]).join(" "),
  sampling: { temperature: 1, seed: 100 + i, max_tokens: 32, ignore_eos: true },
}));

async function collect(engine: LlamaEngine, requests: EngineRequest[]): Promise<EngineCompletion[]> {
  const out: EngineCompletion[] = [];
  for await (const c of engine.generate(requests)) out.push(c);
  return out.sort((a, b) => a.requestIndex - b.requestIndex || a.sampleIndex - b.sampleIndex);
}

const texts = (cs: EngineCompletion[]) => cs.map((c) => c.text);

describe.each(WEIGHTS)("deterministic engine, $weightType weights", ({ weightType, preset }) => {
  let model: LlamaModel;
  let engine: LlamaEngine;
  let alone: string[];

  beforeAll(async () => {
    model = await LlamaModel.load(await testModel(preset, { weightType }), { gpu: "cpu", repackWeights: false });
    engine = await model.createEngine({ nCtx: 16 * 256, maxSequences: 16, nBatch: 64, threads: 1, deterministic: true });
    alone = [];
    for (const r of REQUESTS) alone.push(...texts(await collect(engine, [r])));
  });

  afterAll(async () => {
    await model?.close();
  });

  test.each([1, 3, 15])("every request gives its text alone also beside %i others", async (others) => {
    const batch = await collect(engine, REQUESTS.slice(0, others + 1));
    expect(texts(batch)).toEqual(alone.slice(0, others + 1));
    expect(new Set(texts(batch)).size).toBe(others + 1);
  });

  test("a resumed subset of samples, beside other work, equals those samples of the full run", async () => {
    const request: EngineRequest = { ...REQUESTS[4]!, n: 4, sampling: { ...REQUESTS[4]!.sampling, temperature: 0.7 } };
    const full = texts(await collect(engine, [request]));
    const resumed = await collect(engine, [REQUESTS[1]!, { ...request, samples: [3, 1] }, REQUESTS[9]!]);
    expect(resumed.filter((c) => c.requestIndex === 1).map((c) => [c.sampleIndex, c.text])).toEqual([[1, full[1]], [3, full[3]]]);
  });
});

describe("what deterministic mode changes and needs", () => {
  test("the thread count changes nothing: two threads give one thread's texts", async () => {
    const model = await LlamaModel.load(await testModel("tiny", { weightType: "f16" }), { gpu: "cpu", repackWeights: false });
    try {
      const texts1: string[] = [];
      for (const threads of [1, 2]) {
        const engine = await model.createEngine({ nCtx: 4 * 256, maxSequences: 4, nBatch: 64, threads, deterministic: true });
        const got = texts(await collect(engine, REQUESTS.slice(0, 4)));
        await engine.close();
        if (threads === 1) texts1.push(...got);
        else expect(got).toEqual(texts1);
      }
    } finally {
      await model.close();
    }
  });

  test("without it, f16 weights give another text beside other requests (the case it exists for)", async () => {
    const model = await LlamaModel.load(await testModel("tiny", { weightType: "f16" }), { gpu: "cpu" });
    try {
      const engine = await model.createEngine({ nCtx: 16 * 256, maxSequences: 16, nBatch: 64, threads: 1 });
      const lone: string[] = [];
      for (const r of REQUESTS) lone.push(...texts(await collect(engine, [r])));
      expect(texts(await collect(engine, REQUESTS))).not.toEqual(lone);
    } finally {
      await model.close();
    }
  });

  test("it refuses repacked weights, flash attention off and n_batch not above max_sequences, naming the fix", async () => {
    const path = await testModel("tiny");
    const repacked = await LlamaModel.load(path, { gpu: "cpu" });
    await expect(repacked.createEngine({ nCtx: 1024, maxSequences: 4, deterministic: true })).rejects.toThrow(/repackWeights: false/);
    await repacked.close();
    const model = await LlamaModel.load(path, { gpu: "cpu", repackWeights: false });
    await expect(model.createEngine({ nCtx: 1024, maxSequences: 4, flashAttn: "off", deterministic: true })).rejects.toThrow(/needs flash attention, and llama.cpp turned it off; set flash_attn=on or auto/);
    await expect(model.createEngine({ nCtx: 1024, maxSequences: 4, nBatch: 4, deterministic: true })).rejects.toThrow(/raise n_batch to 5 or more/);
    const engine = await model.createEngine({ nCtx: 1024, maxSequences: 4, deterministic: true });
    // One KV cell of each sequence is kept for the throwaway token.
    expect(engine.info).toMatchObject({ deterministic: true, nCtxPerSequence: 255 });
    await model.close();
  });
});
