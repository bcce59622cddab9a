import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { LlamaModel, type EngineCompletion, type EngineRequest, type LlamaEngine } from "../../src/engine/index.js";
import { testModel } from "../fixtures/models.js";

let model: LlamaModel;
let engine: LlamaEngine;

beforeAll(async () => {
  model = await LlamaModel.load(await testModel("tiny"), { gpu: "cpu" });
  engine = await model.createEngine({ nCtx: 16 * 256, maxSequences: 16, kvType: "f32", threads: 1 });
});

afterAll(async () => {
  await model?.close();
});

async function collect(requests: EngineRequest[], e: LlamaEngine = engine): Promise<EngineCompletion[]> {
  const out: EngineCompletion[] = [];
  for await (const c of e.generate(requests)) out.push(c);
  return out.sort((a, b) => a.requestIndex - b.requestIndex || a.sampleIndex - b.sampleIndex);
}

const PROMPTS = Array.from({ length: 16 }, (_, i) => `Question ${i}: what is ${i} times ${i + 3}? Answer:`);

describe("model", () => {
  test("reports GGUF metadata", () => {
    expect(model.metadata.architecture).toBe("qwen2");
    expect(model.metadata.vocabSize).toBe(151936);
    expect(model.metadata.fileType).toMatch(/F32/);
    expect(model.metadata.contextLength).toBe(4096);
    expect(model.metadata.eogTokens.length).toBeGreaterThan(0);
    expect(model.metadata.parameterCount).toBeGreaterThan(0);
  });

  test("tokenize and detokenize round-trip, special tokens parsed", () => {
    const text = "<|im_start|>user\nHello, world!<|im_end|>";
    const tokens = model.tokenize(text);
    expect(tokens[0]).toBe(151644); // <|im_start|> is one token
    expect(model.detokenize(tokens, { special: true })).toBe(text);
  });
});

describe("generation", () => {
  test("max_tokens ends a sample with finishReason length", async () => {
    const [c] = await collect([{ prompt: PROMPTS[0]!, sampling: { max_tokens: 7, ignore_eos: true } }]);
    expect(c).toMatchObject({ finishReason: "length", completionTokens: 7, promptTokens: model.tokenize(PROMPTS[0]!).length });
  });

  test("greedy output of a prompt alone equals its output inside a batch of 16 (f32)", async () => {
    const alone = await collect([{ prompt: PROMPTS[5]!, sampling: { max_tokens: 24, ignore_eos: true } }]);
    const batch = await collect(PROMPTS.map((prompt) => ({ prompt, sampling: { max_tokens: 24, ignore_eos: true } })));
    expect(batch).toHaveLength(16);
    expect(batch[5]!.text).toBe(alone[0]!.text);
    expect(new Set(batch.map((c) => c.text)).size).toBeGreaterThan(1);
  });

  test("the same seed gives the same text; another seed another text", async () => {
    const req = (seed: number): EngineRequest => ({ prompt: PROMPTS[1]!, sampling: { temperature: 1, seed, max_tokens: 24, ignore_eos: true } });
    const [a] = await collect([req(11)]);
    const [b] = await collect([req(11), { prompt: PROMPTS[2]!, sampling: { max_tokens: 5 } }]);
    const [c] = await collect([req(12)]);
    expect(b!.text).toBe(a!.text);
    expect(c!.text).not.toBe(a!.text);
  });

  test("n samples at temperature > 0 share a prefill, differ from each other and are reproducible", async () => {
    const req: EngineRequest = { prompt: PROMPTS[3]!, n: 4, sampling: { temperature: 1, top_p: 0.95, seed: 5, max_tokens: 16, ignore_eos: true } };
    const first = await collect([req]);
    const again = await collect([req, { prompt: PROMPTS[4]!, n: 3, sampling: { max_tokens: 8 } }]);
    expect(first.map((c) => c.sampleIndex)).toEqual([0, 1, 2, 3]);
    expect(new Set(first.map((c) => c.text)).size).toBe(4);
    expect(again.slice(0, 4).map((c) => c.text)).toEqual(first.map((c) => c.text));
    // One prefill: every sample got its first token at the same moment.
    expect(new Set(first.map((c) => c.timings.firstTokenMs)).size).toBe(1);
  });

  test("with 2 threads the draws of a step run in parallel and change nothing", async () => {
    const threaded = await model.createEngine({ nCtx: 16 * 256, maxSequences: 16, kvType: "f32", threads: 2 });
    try {
      const requests: EngineRequest[] = PROMPTS.slice(0, 8).map((prompt, i) => ({
        prompt,
        n: 2,
        sampling: {
          ...(i % 2 ? { temperature: 0.8, top_p: 0.9 } : { temperature: 1, top_k: 20, repetition_penalty: 1.1 }),
          seed: i,
          max_tokens: 12,
          ignore_eos: true,
        },
      }));
      const batch = await collect(requests, threaded);
      expect(new Set(batch.map((c) => c.text)).size).toBe(16);
      expect((await collect(requests, threaded)).map((c) => c.text)).toEqual(batch.map((c) => c.text));
      const alone = await collect([requests[3]!], threaded);
      expect(alone.map((c) => c.text)).toEqual(batch.filter((c) => c.requestIndex === 3).map((c) => c.text));
    } finally {
      await threaded.close();
    }
  });

  test("a subset of samples draws exactly those samples of the full request", async () => {
    const req: EngineRequest = { prompt: PROMPTS[9]!, n: 5, sampling: { temperature: 1, seed: 8, max_tokens: 10, ignore_eos: true } };
    const full = await collect([req]);
    const some = await collect([{ ...req, samples: [4, 1] }, { prompt: PROMPTS[10]!, sampling: { max_tokens: 3 } }]);
    expect(some.filter((c) => c.requestIndex === 0).map((c) => [c.sampleIndex, c.text])).toEqual([1, 4].map((i) => [i, full[i]!.text]));
  });

  test("a stop string ends the text before it, also when it spans tokens", async () => {
    const [free] = await collect([{ prompt: PROMPTS[6]!, sampling: { max_tokens: 40, ignore_eos: true } }]);
    const text = free!.text;
    // A printable stretch in the middle of the text, chosen to start inside a token.
    const at = text.search(/[ -~]{6}/u);
    expect(at).toBeGreaterThanOrEqual(0);
    const stop = text.slice(at + 1, at + 5);
    const [cut] = await collect([{ prompt: PROMPTS[6]!, sampling: { max_tokens: 40, ignore_eos: true, stop: ["\u0000never", stop] } }]);
    expect(cut!.finishReason).toBe("stop");
    expect(cut!.text).toBe(text.slice(0, text.indexOf(stop)));
  });

  test("top-k 1, a tiny top-p and min-p 1 equal greedy; penalties change the text", async () => {
    const [greedy] = await collect([{ prompt: PROMPTS[7]!, sampling: { max_tokens: 16, ignore_eos: true } }]);
    const [topk] = await collect([{ prompt: PROMPTS[7]!, sampling: { temperature: 1, top_k: 1, seed: 3, max_tokens: 16, ignore_eos: true } }]);
    const [topp] = await collect([{ prompt: PROMPTS[7]!, sampling: { temperature: 1, top_p: 1e-9, seed: 3, max_tokens: 16, ignore_eos: true } }]);
    const [minp] = await collect([{ prompt: PROMPTS[7]!, sampling: { temperature: 1, min_p: 1, seed: 3, max_tokens: 16, ignore_eos: true } }]);
    const [penal] = await collect([{ prompt: PROMPTS[7]!, sampling: { frequency_penalty: 2, presence_penalty: 2, max_tokens: 16, ignore_eos: true } }]);
    expect(topk!.text).toBe(greedy!.text);
    expect(topp!.text).toBe(greedy!.text);
    expect(minp!.text).toBe(greedy!.text);
    expect(penal!.text).not.toBe(greedy!.text);
  });

  test("an aborted signal ends running samples promptly with finishReason abort", async () => {
    const ac = new AbortController();
    const started = Date.now();
    const out: EngineCompletion[] = [];
    const gen = engine.generate([{ prompt: PROMPTS[8]!, n: 3, sampling: { max_tokens: 200, ignore_eos: true } }, { prompt: PROMPTS[9]!, sampling: { max_tokens: 200, ignore_eos: true } }], {
      signal: ac.signal,
      onProgress: (p) => {
        if (p.generatedTokens > 0) ac.abort();
      },
    });
    for await (const c of gen) out.push(c);
    expect(out).toHaveLength(4);
    expect(out.every((c) => c.finishReason === "abort")).toBe(true);
    expect(out.every((c) => c.completionTokens < 200)).toBe(true);
    expect(Date.now() - started).toBeLessThan(20_000);
    // The engine is still usable afterwards.
    const [after] = await collect([{ prompt: PROMPTS[8]!, sampling: { max_tokens: 3, ignore_eos: true } }]);
    expect(after!.completionTokens).toBe(3);
  });

  test("an onProgress that throws fails its generate() call, not the process", async () => {
    const gen = engine.generate([{ prompt: PROMPTS[10]!, sampling: { max_tokens: 50, ignore_eos: true } }], {
      onProgress: () => {
        throw new Error("progress bar broke");
      },
    });
    await expect((async () => {
      for await (const c of gen) void c;
    })()).rejects.toThrow("progress bar broke");
    const [after] = await collect([{ prompt: PROMPTS[10]!, sampling: { max_tokens: 2, ignore_eos: true } }]);
    expect(after!.completionTokens).toBe(2);
  });
});
