import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { EngineError } from "../../src/errors.js";
import { LlamaModel, type EngineCompletion, type EngineRequest, type LlamaEngine } from "../../src/engine/index.js";
import { testModel } from "../fixtures/models.js";

// The engine thread's exception boundary, proved with the addon's fault hook (injectFault: the
// (after + 1)-th loop step or draw throws inside the engine thread). Without the boundary the
// exception would reach std::terminate and kill this test worker, failing the file.

let model: LlamaModel;

beforeAll(async () => {
  model = await LlamaModel.load(await testModel("tiny"), { gpu: "cpu" });
});

afterAll(async () => {
  await model?.close();
});

const REQUESTS: EngineRequest[] = [
  { prompt: "First question:", n: 2, sampling: { temperature: 0.7, seed: 1, max_tokens: 12, ignore_eos: true } },
  { prompt: "Second question:", sampling: { max_tokens: 12, ignore_eos: true } },
  { prompt: "Third question:", n: 3, sampling: { max_tokens: 12, ignore_eos: true } },
];

async function collect(engine: LlamaEngine, requests: EngineRequest[]): Promise<EngineCompletion[]> {
  const out: EngineCompletion[] = [];
  for await (const c of engine.generate(requests)) out.push(c);
  return out.sort((a, b) => a.requestIndex - b.requestIndex || a.sampleIndex - b.sampleIndex);
}

describe("a throw inside the engine thread fails the generate() calls in flight, not the process", () => {
  for (const [where, kvMode] of [["loop", "streams"], ["sampling", "streams"], ["loop", "pool"], ["sampling", "pool"]] as const) {
    test(`in the ${where === "loop" ? "engine loop" : "sampling threads"} (${kvMode}); the engine then serves new calls`, async () => {
      // Two threads, so that draws also run (and throw) on the sampling pool's worker thread.
      const engine = await model.createEngine({ nCtx: 2048, maxSequences: 4, threads: where === "sampling" ? 2 : 1, kvMode });
      try {
        const before = await collect(engine, REQUESTS);
        engine._injectFault(where, 5);
        const err = await collect(engine, REQUESTS).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(EngineError);
        expect((err as Error).message).toMatch(
          new RegExp(`^the engine thread failed: fault injected into the ${where === "loop" ? "engine loop" : "sampling threads"} \\(test hook\\); the samples in flight were dropped \\(the engine goes on\\)$`),
        );
        // Nothing of the failed call lingers: the next call gets the same results as before it.
        const after = await collect(engine, REQUESTS);
        expect(after.map((c) => [c.finishReason, c.text])).toEqual(before.map((c) => [c.finishReason, c.text]));
      } finally {
        await engine.close();
      }
    });
  }

  test("a call started after the failure is not failed with it", async () => {
    const engine = await model.createEngine({ nCtx: 1024, maxSequences: 2, threads: 1 });
    try {
      engine._injectFault("loop", 3);
      const failing = collect(engine, REQUESTS.slice(0, 1)).catch((e: unknown) => e);
      expect(await failing).toBeInstanceOf(EngineError);
      const fine = await collect(engine, REQUESTS.slice(1, 2));
      expect(fine).toMatchObject([{ finishReason: "length", completionTokens: 12 }]);
    } finally {
      await engine.close();
    }
  });
});
