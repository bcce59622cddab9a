import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { LlamaModel, type EngineCompletion, type EngineRequest, type LlamaEngine } from "../../src/engine/index.js";
import { testModel } from "../fixtures/models.js";

// vLLM's min_tokens, ignore_eos and logit_bias through the engine. A random model rarely samples
// an end-of-generation token by itself, so logit_bias +100 makes it (or another token) certain.

let model: LlamaModel;
let engine: LlamaEngine;
let eos: string;

beforeAll(async () => {
  model = await LlamaModel.load(await testModel("tiny"), { gpu: "cpu" });
  engine = await model.createEngine({ nCtx: 4 * 256, maxSequences: 4, kvType: "f32", threads: 1 });
  eos = String(model.metadata.eosToken);
});

afterAll(async () => {
  await model?.close();
});

async function one(request: EngineRequest): Promise<EngineCompletion> {
  const out: EngineCompletion[] = [];
  for await (const c of engine.generate([request])) out.push(c);
  return out[0]!;
}

const PROMPT = "The quick brown fox";

describe("sampling parameters that end or steer a sample", () => {
  test("logit_bias changes the greedy choice: +100 makes one token certain", async () => {
    const greedy = await one({ prompt: PROMPT, sampling: { max_tokens: 6, ignore_eos: true } });
    const token = 9707; // "Hello" in the Qwen2 vocabulary
    const biased = await one({ prompt: PROMPT, sampling: { max_tokens: 6, ignore_eos: true, logit_bias: { [token]: 100 } } });
    expect(biased.text).toBe(model.detokenize(Array(6).fill(token)));
    expect(biased.text).not.toBe(greedy.text);
  });

  test("an end-of-generation token ends the sample; ignore_eos runs on to max_tokens", async () => {
    const stopped = await one({ prompt: PROMPT, sampling: { max_tokens: 12, logit_bias: { [eos]: 100 } } });
    expect(stopped).toMatchObject({ finishReason: "stop", completionTokens: 1, text: "" });
    const ignored = await one({ prompt: PROMPT, sampling: { max_tokens: 12, logit_bias: { [eos]: 100 }, ignore_eos: true } });
    expect(ignored).toMatchObject({ finishReason: "length", completionTokens: 12 });
  });

  test("min_tokens holds end-of-generation tokens back until that many tokens are out", async () => {
    const c = await one({ prompt: PROMPT, sampling: { max_tokens: 12, min_tokens: 5, logit_bias: { [eos]: 100 } } });
    // Five other tokens, then the end-of-generation token (counted, not written).
    expect(c).toMatchObject({ finishReason: "stop", completionTokens: 6 });
    expect(c.text.length).toBeGreaterThan(0);
  });

  test("min_tokens holds stop strings back too: a stop string among the first tokens does not end the sample", async () => {
    const free = await one({ prompt: PROMPT, sampling: { max_tokens: 20, ignore_eos: true } });
    const first = model.detokenize(model.tokenize(free.text).slice(0, 1));
    const early = await one({ prompt: PROMPT, sampling: { max_tokens: 20, ignore_eos: true, stop: [first] } });
    expect(early).toMatchObject({ finishReason: "stop", text: "" });
    const held = await one({ prompt: PROMPT, sampling: { max_tokens: 20, ignore_eos: true, stop: [first], min_tokens: 10 } });
    expect(held.completionTokens).toBeGreaterThanOrEqual(10);
    expect(held.text.startsWith(first)).toBe(true);
  });

  test("a logit_bias token outside the vocabulary fails its request by name; others run", async () => {
    const out: EngineCompletion[] = [];
    for await (const c of engine.generate([
      { prompt: PROMPT, sampling: { max_tokens: 2, logit_bias: { "151936": 5 } } },
      { prompt: PROMPT, sampling: { max_tokens: 2, ignore_eos: true } },
    ])) out.push(c);
    out.sort((a, b) => a.requestIndex - b.requestIndex);
    expect(out[0]).toMatchObject({ finishReason: "error", error: "logit_bias names token 151936, which is not in the vocabulary (0 to 151935)" });
    expect(out[1]).toMatchObject({ finishReason: "length", completionTokens: 2 });
  });
});
