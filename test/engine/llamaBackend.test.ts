import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createLlamaBackend, parseLlamaArgs, type LlamaBackend } from "../../src/backends/llama/index.js";
import type { ChatMessage, Completion, GenerationRequest } from "../../src/backends/types.js";
import { ConfigError } from "../../src/errors.js";
import { testModel } from "../fixtures/models.js";

// A ChatML renderer, enough to drive the backend without the templating module.
const rendered: string[] = [];
function chatml(messages: ChatMessage[], opts: { continueFinalMessage: boolean }): string {
  const turns = messages.map((m, i) => {
    const last = i === messages.length - 1;
    return `<|im_start|>${m.role}\n${m.content}${last && opts.continueFinalMessage ? "" : "<|im_end|>\n"}`;
  });
  const text = turns.join("") + (opts.continueFinalMessage ? "" : "<|im_start|>assistant\n");
  rendered.push(text);
  return text;
}

let backend: LlamaBackend;

beforeAll(async () => {
  backend = await createLlamaBackend({
    modelPath: await testModel("tiny"),
    args: { gpu: "cpu", max_sequences: 4, n_ctx: 1024, threads: 1, dtype: "float32" },
    renderPrompt: chatml,
  });
});

afterAll(async () => {
  await backend?.close();
});

async function run(requests: GenerationRequest[], signal?: AbortSignal): Promise<Completion[]> {
  const out: Completion[] = [];
  for await (const c of backend.generate(requests, signal ? { signal } : {})) out.push(c);
  return out;
}

const sampling = { temperature: 0, top_p: 1, max_tokens: 6 };

describe("llama backend", () => {
  test("reports model, device and versions for run.json; the engine once a call sized it", async () => {
    expect(backend.info.model).toMatchObject({ architecture: "qwen2", fileType: "all F32", contextLength: 4096 });
    expect(backend.info.gpu).toMatchObject({ requested: "cpu", gpu: false });
    expect(backend.info.versions.llamaCpp.tag).toMatch(/^v\d/);
    expect(backend.info.versions.addon).toMatch(/^\d+\.\d+\.\d+/);
    await run([{ id: "x", messages: [{ role: "user", content: "Hi" }], n: 1, sampling }]);
    expect(backend.info.engine).toMatchObject({ kvType: "f32", dtype: "float32", kvMode: "streams", maxSequences: 4, nCtxPerSequence: 256 });
    expect(backend.info.engine!.plan).toMatch(/^KV streams: 4 sequences x 256 tokens/);
  });

  test("every sample of every request arrives once, with token counts", async () => {
    const out = await run([
      { id: "a", messages: [{ role: "user", content: "Hi" }], n: 2, sampling: { ...sampling, temperature: 0.8, seed: 3 } },
      { id: "b", messages: [{ role: "user", content: "Bye" }], n: 1, sampling },
    ]);
    expect(out.map((c) => `${c.requestId}/${c.sampleIndex}`).sort()).toEqual(["a/0", "a/1", "b/0"]);
    for (const c of out) {
      expect(c.promptTokens).toBeGreaterThan(3);
      expect(c.completionTokens).toBeGreaterThan(0);
      expect(["stop", "length"]).toContain(c.finishReason);
    }
  });

  test("the assistant prefill is rendered as a continued final assistant message", async () => {
    rendered.length = 0;
    await run([{ id: "p", messages: [{ role: "user", content: "Solve it" }], n: 1, sampling, assistantPrefill: "Let me think" }]);
    expect(rendered[0]).toBe("<|im_start|>user\nSolve it<|im_end|>\n<|im_start|>assistant\nLet me think");
  });

  test("a prompt longer than the model's context is an error completion naming the request; the run goes on", async () => {
    const out = await run([
      { id: "math500/17", messages: [{ role: "user", content: "x ".repeat(4200) }], n: 2, sampling },
      { id: "ok", messages: [{ role: "user", content: "fine" }], n: 1, sampling },
    ]);
    const bad = out.filter((c) => c.requestId === "math500/17");
    expect(bad).toHaveLength(2);
    expect(bad[0]!.error).toMatch(/^request "math500\/17": the prompt needs \d+ tokens but the model's context is 4096 tokens; shorten the prompt/);
    expect(out.find((c) => c.requestId === "ok")!.finishReason).not.toBe("error");
  });

  test("sizes whose slices cannot hold a sample: fewer sequences at a time (said once), or the pool when asked", async () => {
    const long: GenerationRequest[] = [{ id: "long", messages: [{ role: "user", content: "x ".repeat(300) }], n: 2, sampling }];
    const run = async (args: Record<string, unknown>) => {
      const logs: string[] = [];
      const b = await createLlamaBackend({ modelPath: await testModel("tiny"), renderPrompt: chatml, onLog: (_, m) => logs.push(m), args: { gpu: "cpu", threads: 1, ...args } });
      const out: Completion[] = [];
      for await (const c of b.generate(long)) out.push(c);
      await b.close();
      return { out, logs: logs.join("\n"), info: b.info };
    };
    // n_ctx=1024 / max_sequences=4 is 256 per sequence; a sample needs ~316 tokens.
    const fewer = await run({ max_sequences: 4, n_ctx: 1024 });
    expect(fewer.out.map((c) => [c.finishReason, c.completionTokens])).toEqual([["length", 6], ["length", 6]]);
    expect(fewer.info.engine).toMatchObject({ kvMode: "streams", maxSequences: 2, nCtxPerSequence: 512 });
    expect(fewer.logs).toMatch(/KV streams: 2 sequences x 512 tokens \(n_ctx=1024 holds 2 at full length, prompt \+ max_tokens = \d+ tokens: max_sequences=4 would cut them short, so 2 run at a time\)/);
    const pool = await run({ max_sequences: 4, n_ctx: 1024, kv_mode: "pool" });
    expect(pool.out.map((c) => c.text)).toEqual(fewer.out.map((c) => c.text));
    expect(pool.info.engine).toMatchObject({ kvMode: "pool", nCtx: 1024, maxSequences: 4 });
    expect(pool.logs).toMatch(/KV pool: 1024 tokens shared by up to 4 sequences \(kv_mode=pool\)/);
  });

  test("prompt + max_tokens beyond the model's context: said once, recorded, and such samples end with context", async () => {
    const logs: string[] = [];
    const b = await createLlamaBackend({
      modelPath: await testModel("tiny", { contextLength: 512 }), renderPrompt: chatml, onLog: (level, m) => logs.push(`${level}: ${m}`),
      args: { gpu: "cpu", threads: 1 },
    });
    const out: Completion[] = [];
    for await (const c of b.generate([
      { id: "a", messages: [{ role: "user", content: "count" }], n: 2, sampling: { ...sampling, max_tokens: 4000 } },
      { id: "b", messages: [{ role: "user", content: "short" }], n: 1, sampling },
    ])) out.push(c);
    await b.close();
    const warnings = logs.filter((l) => l.startsWith("warn: "));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^warn: max_tokens=4000 with prompts of up to \d+ tokens exceeds the model's context of 512 tokens: 1 request\(s\) may end early with finish reason "context"/);
    expect(b.info.contextLimit).toMatchObject({ contextTokens: 512, maxTokens: 4000, requests: 1 });
    for (const c of out.filter((c) => c.requestId === "a")) {
      if (c.finishReason === "stop") continue; // a random model may emit an end token
      expect(c.finishReason).toBe("context");
      expect(c.promptTokens + c.completionTokens).toBe(512);
    }
    expect(b.info.engine!.nCtxPerSequence).toBeGreaterThanOrEqual(512);
  });

  test("a later call that needs longer sequences gets a new engine; while another call runs, it is refused with the fix", async () => {
    const b = await createLlamaBackend({ modelPath: await testModel("tiny"), renderPrompt: chatml, args: { gpu: "cpu", threads: 1, kv_mode: "streams" } });
    try {
      const ask = (id: string, max_tokens: number): GenerationRequest[] => [{ id, messages: [{ role: "user", content: "Hi" }], n: 1, sampling: { ...sampling, max_tokens } }];
      const drain = async (it: AsyncIterable<Completion>) => {
        const out: Completion[] = [];
        for await (const c of it) out.push(c);
        return out;
      };
      await drain(b.generate(ask("short", 6)));
      expect(b.info.engine!.nCtxPerSequence).toBe(256);
      const [long] = await drain(b.generate(ask("long", 600)));
      expect(long).toMatchObject({ requestId: "long" });
      if (long!.finishReason !== "stop") expect(long).toMatchObject({ finishReason: "length", completionTokens: 600 });
      expect(b.info.engine!.nCtxPerSequence).toBe(768);
      // The 768-token engine is busy with a call; one that needs more cannot replace it now.
      const running = b.generate(ask("busy", 400))[Symbol.asyncIterator]();
      const first = running.next();
      const refused = await drain(b.generate(ask("longer", 2000))).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ConfigError);
      expect((refused as Error).message).toMatch(/needs \d+ tokens per sequence but the engine, busy with another call, holds 768; wait for that call/);
      await first;
      while (!(await running.next()).done);
    } finally {
      await b.close();
    }
  });

  test("a chat template that throws fails only its request", async () => {
    const failing = await createLlamaBackend({
      modelPath: await testModel("tiny"),
      args: { gpu: "cpu", max_sequences: 1, n_ctx: 512, threads: 1 },
      renderPrompt: (messages) => {
        if (messages[0]!.content === "boom") throw new Error("raise_exception: no system role");
        return messages[0]!.content;
      },
    });
    const out: Completion[] = [];
    for await (const c of failing.generate([
      { id: "bad", messages: [{ role: "user", content: "boom" }], n: 1, sampling },
      { id: "good", messages: [{ role: "user", content: "hello" }], n: 1, sampling },
    ])) out.push(c);
    await failing.close();
    expect(out.find((c) => c.requestId === "bad")).toMatchObject({ finishReason: "error", error: expect.stringMatching(/chat template failed: raise_exception/) });
    expect(out.find((c) => c.requestId === "good")!.finishReason).not.toBe("error");
  });

  test("abort ends every unfinished sample with finishReason abort", async () => {
    const ac = new AbortController();
    const out: Completion[] = [];
    for await (const c of backend.generate([{ id: "long", messages: [{ role: "user", content: "go" }], n: 3, sampling: { ...sampling, max_tokens: 200 } }], {
      signal: ac.signal,
      onProgress: (p) => p.generatedTokens > 0 && ac.abort(),
    })) out.push(c);
    expect(out.map((c) => c.finishReason)).toEqual(["abort", "abort", "abort"]);
  });
});

describe("backend args", () => {
  test("an unknown key is a ConfigError listing the valid keys", () => {
    expect(() => parseLlamaArgs({ tensor_parallel_size: 2 })).toThrow(ConfigError);
    expect(() => parseLlamaArgs({ tensor_parallel_size: 2 })).toThrow(/unknown --backend-args key "tensor_parallel_size" .*valid keys: gpu, gpu_layers, max_sequences, n_ctx/);
  });

  test("bad values name the key", () => {
    expect(() => parseLlamaArgs({ kv_type: "q4_0" })).toThrow(/--backend-args kv_type="q4_0"/);
    expect(() => parseLlamaArgs({ max_sequences: 0 })).toThrow(/max_sequences=0/);
    // Beyond the engine's bounds: refused here, before a model loads, not by the addon after.
    expect(() => parseLlamaArgs({ n_batch: 2_000_000 })).toThrow(/--backend-args n_batch=2000000: Too big: expected number to be <=1048576/);
    expect(() => parseLlamaArgs({ n_ctx: 4_000_000_000 })).toThrow(/--backend-args n_ctx=4000000000: Too big: expected number to be <=1073741824/);
  });

  test("a value outside a list of choices is told the choices", () => {
    expect(() => parseLlamaArgs({ gpu: "tpu" })).toThrow(/gpu="tpu": Invalid option: expected one of "auto"\|"cuda"\|"vulkan"\|"metal"\|"cpu"\|false/);
    expect(() => parseLlamaArgs({ kv_type: "q4_0" })).toThrow(/expected one of "f32"\|"f16"\|"bf16"\|"q8_0"/);
    expect(() => parseLlamaArgs({ flash_attn: "yes" })).toThrow(/expected one of "auto"\|"on"\|"off"/);
    expect(() => parseLlamaArgs({ dtype: "fp8" })).toThrow(/expected one of "auto"\|"float32"\|"float16"\|"bfloat16"/);
  });

  test("dtype maps onto the KV type and may not contradict it", () => {
    expect(parseLlamaArgs({}).kv_type).toBe("f16");
    expect(parseLlamaArgs({ dtype: "float32" }).kv_type).toBe("f32");
    expect(parseLlamaArgs({ dtype: "bfloat16" }).kv_type).toBe("bf16");
    expect(parseLlamaArgs({ kv_type: "q8_0" }).kv_type).toBe("q8_0");
    expect(() => parseLlamaArgs({ dtype: "float32", kv_type: "f16" })).toThrow(/contradicts dtype=float32/);
    expect(() => parseLlamaArgs({ kv_type: "q8_0", flash_attn: "off" })).toThrow(/needs flash attention/);
  });

  test("deterministic=True refuses what it cannot keep its promise with, naming the fix", () => {
    expect(parseLlamaArgs({ deterministic: true })).toMatchObject({ deterministic: true, gpu: "auto" });
    expect(() => parseLlamaArgs({ deterministic: true, gpu: "cuda" })).toThrow(/deterministic=True runs on the CPU .*drop gpu=cuda or set gpu=cpu/);
    expect(() => parseLlamaArgs({ deterministic: true, flash_attn: "off" })).toThrow(/deterministic=True needs flash attention; set flash_attn=on or auto/);
    expect(() => parseLlamaArgs({ deterministic: true, max_sequences: 16, n_batch: 16 })).toThrow(/needs n_batch above max_sequences \(16\); raise n_batch/);
    expect(() => parseLlamaArgs({ deterministic: true, kv_mode: "pool" })).toThrow(/deterministic=True needs kv_mode=streams/);
  });

  test("deterministic=True loads unrepacked weights on the CPU, says so, and run.json's engine info records it", async () => {
    const logs: string[] = [];
    const det = await createLlamaBackend({
      modelPath: await testModel("tiny"),
      args: { deterministic: true, max_sequences: 2, n_ctx: 512, threads: 1 },
      renderPrompt: chatml,
      onLog: (_level, message) => logs.push(message),
    });
    try {
      // The engine is sized by the first call.
      for await (const c of det.generate([{ id: "x", messages: [{ role: "user", content: "Hi" }], n: 1, sampling }])) void c;
      expect(det.info.engine).toMatchObject({ deterministic: true, flashAttn: "on", kvMode: "streams", nCtxPerSequence: 255 });
      expect(det.info.gpu).toMatchObject({ requested: "cpu", gpu: false });
      expect(logs).toContain("llama: deterministic=True runs on the CPU; gpu=auto was not used");
    } finally {
      await det.close();
    }
  });

  test("n_batch below max_sequences is refused before the model loads (llama.cpp would abort)", () => {
    expect(() => parseLlamaArgs({ n_batch: 1, max_sequences: 4 })).toThrow(/^--backend-args n_batch=1 is below max_sequences=4: .*raise n_batch to at least 4 or lower max_sequences$/);
    expect(() => parseLlamaArgs({ n_ctx: 3, max_sequences: 4 })).toThrow(/n_batch=3 \(n_ctx=3 caps it\) is below max_sequences=4/);
    expect(parseLlamaArgs({ n_batch: 4, max_sequences: 4 }).kv_mode).toBe("auto");
  });

  test("gpu accepts Python's False as cpu", () => {
    expect(parseLlamaArgs({ gpu: false }).gpu).toBe(false);
  });
});
