import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { EngineError } from "../../src/errors.js";
import { ENGINE_LIMITS, LlamaModel, type EngineCompletion } from "../../src/engine/index.js";
import { loadAddon } from "../../src/engine/loadAddon.js";
import { testModel } from "../fixtures/models.js";

let dir: string;
let modelPath: string;
let model: LlamaModel;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "skythought-engine-"));
  modelPath = await testModel("tiny");
  model = await LlamaModel.load(modelPath, { gpu: "cpu" });
});

afterAll(async () => {
  await model?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("bad model files reject with an EngineError and the process lives on", () => {
  test("missing file", async () => {
    await expect(LlamaModel.load(join(dir, "nope.gguf"), { gpu: "cpu" })).rejects.toThrow(/cannot be read: No such file/);
  });

  test("not a GGUF file", async () => {
    const path = join(dir, "model.safetensors");
    writeFileSync(path, "{\"__metadata__\": {}} and then some tensor bytes");
    const err = await LlamaModel.load(path, { gpu: "cpu" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as Error).message).toMatch(/is not a GGUF file/);
  });

  test("empty file", async () => {
    const path = join(dir, "empty.gguf");
    writeFileSync(path, "");
    await expect(LlamaModel.load(path, { gpu: "cpu" })).rejects.toThrow(/too short to be a GGUF file/);
  });

  test("truncated file", async () => {
    const whole = readFileSync(modelPath);
    for (const fraction of [0.001, 0.5, 0.99]) {
      const path = join(dir, `truncated-${fraction}.gguf`);
      writeFileSync(path, whole.subarray(0, Math.floor(whole.length * fraction)));
      await expect(LlamaModel.load(path, { gpu: "cpu" })).rejects.toThrow(/could not load model .*truncated-/);
    }
  });

  test("a directory", async () => {
    await expect(LlamaModel.load(dir, { gpu: "cpu" })).rejects.toThrow(/not a regular file/);
  });
});

describe("bad engine settings", () => {
  test("an impossible KV size is refused before allocation", async () => {
    const err = await model.createEngine({ nCtx: 2 ** 30, maxSequences: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as Error).message).toMatch(/KV cache needs .* GiB .* lower n_ctx/);
  });

  test("q8_0 KV without flash attention is refused with the fix", async () => {
    await expect(model.createEngine({ nCtx: 256, maxSequences: 1, kvType: "q8_0", flashAttn: "off" })).rejects.toThrow(/flash attention/);
  });

  test("too many sequences for the context", async () => {
    await expect(model.createEngine({ nCtx: 8, maxSequences: 16 })).rejects.toThrow(/raise n_ctx or lower max_sequences/);
  });

  test("n_batch below max_sequences is refused with the fix (llama.cpp would abort)", async () => {
    await expect(model.createEngine({ nCtx: 256, maxSequences: 4, nBatch: 1 })).rejects.toThrow(/^n_batch 1 is below max_sequences 4: .*raise n_batch to at least 4 or lower max_sequences$/);
  });

  test("a prompt longer than n_ctx's capped n_batch is fed in chunks llama.cpp accepts", async () => {
    // n_ctx 128 is padded to 256 cells but caps n_batch at 128; the prompt is longer than that.
    const engine = await model.createEngine({ nCtx: 128, maxSequences: 1, threads: 1 });
    expect(engine.info).toMatchObject({ nCtx: 256, nBatch: 128, nCtxPerSequence: 256 });
    const prompt = "word ".repeat(130);
    expect(model.tokenize(prompt).length).toBeGreaterThan(128);
    const out: EngineCompletion[] = [];
    for await (const c of engine.generate([{ prompt, sampling: { max_tokens: 4, ignore_eos: true } }])) out.push(c);
    await engine.close();
    expect(out[0]).toMatchObject({ finishReason: "length", completionTokens: 4 });
  });

  test("malformed option types are TypeErrors", async () => {
    await expect(model.createEngine({ nCtx: -5 })).rejects.toThrow(TypeError);
    // ENGINE_LIMITS, which the backend's option parser uses, are the addon's own bounds.
    for (const [key, max] of Object.entries(ENGINE_LIMITS)) {
      await expect(model.createEngine({ [key]: max + 1 })).rejects.toThrow(new RegExp(`options\\.${key} must be an integer in \\[[01], ${max}\\]`));
    }
    await expect(model.createEngine({ kvType: "q4" as never })).rejects.toThrow(/kvType must be one of f32, f16, bf16, q8_0/);
  });
});

describe("gpu=cpu", () => {
  test("the model gets the CPU devices only, whichever build the process loaded; cpuOnly must be a boolean", async () => {
    const addon = await loadAddon("cpu", () => {});
    const cpus = addon.devices.filter((d) => d.type === "cpu").map((d) => `${d.name} (${d.description})`);
    expect(cpus.length).toBeGreaterThan(0);
    expect(model.gpu).toMatchObject({ requested: "cpu", gpu: false, gpuLayers: 0, devices: cpus });
    await expect(async () => addon.bindings.loadModel(modelPath, { cpuOnly: "yes" as never })).rejects.toThrow(/options\.cpuOnly/);
  });
});

describe("bad requests", () => {
  test("a prompt longer than a sequence's context fails alone; the others run", async () => {
    const engine = await model.createEngine({ nCtx: 1024, maxSequences: 4, threads: 1 });
    const long = "word ".repeat(400);
    const out: EngineCompletion[] = [];
    for await (const c of engine.generate([
      { prompt: long, n: 2, sampling: { max_tokens: 4 } },
      { prompt: "short prompt", sampling: { max_tokens: 4, ignore_eos: true } },
    ])) out.push(c);
    await engine.close();
    const errors = out.filter((c) => c.requestIndex === 0);
    expect(errors).toHaveLength(2);
    for (const c of errors) {
      expect(c.finishReason).toBe("error");
      expect(c.error).toMatch(/the prompt needs \d+ tokens but each sequence gets 256 \(n_ctx 1024 \/ max_sequences 4\); raise n_ctx, lower max_sequences or use kv_mode=pool/);
    }
    expect(out.find((c) => c.requestIndex === 1)).toMatchObject({ finishReason: "length", completionTokens: 4 });
  });

  test("a request the engine's sizes cannot hold at full length is refused at once, naming the fix, never cut short", async () => {
    for (const kvMode of ["streams", "pool"] as const) {
      const engine = await model.createEngine({ nCtx: 512, maxSequences: 2, threads: 1, kvMode });
      const out: EngineCompletion[] = [];
      for await (const c of engine.generate([{ prompt: "count: 1 2 3", sampling: { max_tokens: 10_000, ignore_eos: true } }, { prompt: "fine", sampling: { max_tokens: 3, ignore_eos: true } }])) out.push(c);
      await engine.close();
      const [refused, fine] = [out.find((c) => c.requestIndex === 0)!, out.find((c) => c.requestIndex === 1)!];
      expect(refused).toMatchObject({ finishReason: "error", completionTokens: 0 });
      const sizes = kvMode === "pool" ? /the KV pool holds 512 tokens .*; raise n_ctx \(or lower max_tokens\)/ : /each sequence gets 256 .*; raise n_ctx, lower max_sequences or use kv_mode=pool \(or lower max_tokens\)/;
      expect(refused.error).toMatch(/^prompt \(\d+ tokens\) \+ max_tokens \(10000\) needs 4096 tokens but /);
      expect(refused.error).toMatch(sizes);
      expect(fine).toMatchObject({ finishReason: "length", completionTokens: 3 });
    }
  });

  test("a sample that reaches the model's context ends with finish reason context, at exactly the context", async () => {
    // This model's context is 512 tokens; the engine holds more, so only the model's limit stops it.
    const short = await LlamaModel.load(await testModel("tiny", { contextLength: 512 }), { gpu: "cpu" });
    try {
      for (const kvMode of ["streams", "pool"] as const) {
        const engine = await short.createEngine({ nCtx: 2048, maxSequences: 2, threads: 1, kvMode });
        expect(engine.info.contextTokens).toBe(512);
        const prompt = "count: 1 2 3";
        const n = short.tokenize(prompt).length;
        const out: EngineCompletion[] = [];
        for await (const c of engine.generate([{ prompt, sampling: { max_tokens: 10_000, ignore_eos: true } }, { prompt, sampling: { max_tokens: 512 - n, ignore_eos: true } }])) out.push(c);
        await engine.close();
        out.sort((a, b) => a.requestIndex - b.requestIndex);
        expect(out[0]).toMatchObject({ finishReason: "context", completionTokens: 512 - n });
        // max_tokens that ends exactly at the context is the user's limit: "length".
        expect(out[1]).toMatchObject({ finishReason: "length", completionTokens: 512 - n });
        expect(out[1]!.text).toBe(out[0]!.text);
      }
    } finally {
      await short.close();
    }
  });

  test("malformed requests are TypeErrors naming the field", async () => {
    const engine = await model.createEngine({ nCtx: 256, maxSequences: 1, threads: 1 });
    const run = async (req: object) => {
      for await (const _ of engine.generate([req as never])) void _;
    };
    await expect(run({ prompt: "x", n: 0, sampling: { max_tokens: 4 } })).rejects.toThrow(/requests\[0\]\.n must be an integer in \[1,/);
    await expect(run({ prompt: 5, sampling: { max_tokens: 4 } })).rejects.toThrow(/requests\[0\]\.prompt must be a string/);
    await expect(run({ prompt: "x", sampling: { top_p: 0, max_tokens: 4 } })).rejects.toThrow(/requests\[0\]\.sampling\.top_p must be a number in \(0, 1\]/);
    await expect(run({ prompt: "x", sampling: { temperature: Number.NaN, max_tokens: 4 } })).rejects.toThrow(/sampling\.temperature must be a number in \[0, 1000000\]/);
    await expect(run({ prompt: "x", sampling: { max_tokens: 4, topP: 0.5 } })).rejects.toThrow(/requests\[0\]\.sampling: unknown sampling parameter "topP"; the parameters are temperature, top_p/);
    await expect(run({ prompt: "x", sampling: { max_tokens: 4, min_tokens: 5 } })).rejects.toThrow(/min_tokens \(5\) must not exceed max_tokens \(4\)/);
    await expect(run({ prompt: "x", sampling: { logit_bias: { "-3": 1 } } })).rejects.toThrow(/logit_bias key "-3" must be a token id/);
    await expect(run({ prompt: "x", sampling: { logit_bias: { "7": 101 } } })).rejects.toThrow(/sampling\.logit_bias\["7"\] must be a number in \[-100, 100\]/);
    await expect(run({ prompt: "x", n: 3, samples: [0, 3], sampling: { max_tokens: 4 } })).rejects.toThrow(/requests\[0\]\.samples\[1\] must be an integer in \[0, 2\]/);
    await expect(run({ prompt: "x", n: 3, samples: [2, 2], sampling: { max_tokens: 4 } })).rejects.toThrow(/requests\[0\]\.samples\[1\] must be distinct/);
    await expect(run({ prompt: "x", n: 3, samples: [], sampling: { max_tokens: 4 } })).rejects.toThrow(/requests\[0\]\.samples must be a non-empty array/);
    await engine.close();
  });

  test("a closed engine and a closed model say so", async () => {
    const engine = await model.createEngine({ nCtx: 256, maxSequences: 1, threads: 1 });
    await engine.close();
    await expect(engine.generate([{ prompt: "x", sampling: { max_tokens: 1 } }]).next()).rejects.toThrow(/engine is closed/);
    const other = await LlamaModel.load(modelPath, { gpu: "cpu" });
    await other.close();
    expect(() => other.tokenize("x")).toThrow(/is closed/);
  });
});
