import { describe, expect, test } from "vitest";
import { parseLlamaArgs } from "../../src/backends/llama/args.js";
import { planKv, type KvMachine } from "../../src/backends/llama/kvPlan.js";
import { ConfigError } from "../../src/errors.js";

const GiB = 2 ** 30;
// A 1.5B Qwen2 (28 layers, 2 KV heads of 128): 28 KiB of f16 KV cache per token.
const cpu = (freeGiB: number): KvMachine => ({ kvBytesPerToken: 28 * 1024, freeBytes: freeGiB * GiB, onGpu: false, recurrent: false });
const gpu = (freeGiB: number): KvMachine => ({ ...cpu(freeGiB), onGpu: true });
const args = (raw: Record<string, unknown> = {}) => parseLlamaArgs(raw);

describe("KV sizing from memory and the requests", () => {
  test("memory for every sequence at full length: streams, at most 16 on the CPU", () => {
    // AIME, n=8, 30 problems, max_tokens 4096: 16 x 4.4k tokens x 28 KiB = 1.9 GiB of 20 GiB x 0.5.
    const plan = planKv(args(), cpu(20), { samples: 240, tokensPerSample: 4096 + 300 });
    expect(plan).toMatchObject({ kvMode: "streams", maxSequences: 16, nCtx: 16 * 4608 });
    expect(plan.reason).toBe("KV streams: 16 sequences x 4608 tokens (each holds prompt + max_tokens = 4396 tokens)");
  });

  test("memory the limit (max_tokens 32768): fewer streams at a time, each at full length (the pool measured slower)", () => {
    // 0.5 x (20 GiB - 256 MiB) / 28 KiB = 370k tokens: 11 sequences of 32,768.
    const plan = planKv(args(), cpu(20), { samples: 240, tokensPerSample: 32768 });
    expect(plan).toMatchObject({ kvMode: "streams", maxSequences: 11, nCtx: 11 * 32768 });
    expect(plan.reason).toBe(
      "KV streams: 11 sequences x 32768 tokens (the memory (kv_memory_fraction of the free RAM) holds 11 at full length, prompt + max_tokens = 32768 tokens: 16 sequences would cut them short, so 11 run at a time)",
    );
  });

  test("a GPU: 0.9 of free VRAM, up to 64 sequences; kv_mode=pool shares the memory among them", () => {
    const streams = planKv(args(), gpu(40), { samples: 500, tokensPerSample: 32768 });
    const cells = Math.floor((0.9 * (40 * GiB - 512 * 2 ** 20)) / (28 * 1024));
    expect(streams).toMatchObject({ kvMode: "streams", maxSequences: Math.floor(cells / 32768) });
    const pool = planKv(args({ kv_mode: "pool" }), gpu(40), { samples: 500, tokensPerSample: 32768 });
    expect(pool).toMatchObject({ kvMode: "pool", maxSequences: 64, nCtx: cells });
    expect(pool.reason).toBe(`KV pool: ${cells} tokens shared by up to 64 sequences (kv_mode=pool)`);
    expect(planKv(args({ kv_mode: "pool", kv_memory_fraction: 0.45 }), gpu(40), { samples: 500, tokensPerSample: 32768 }).nCtx).toBe(Math.floor(cells / 2));
  });

  test("few samples: as many sequences as samples", () => {
    expect(planKv(args(), cpu(20), { samples: 3, tokensPerSample: 1000 })).toMatchObject({ kvMode: "streams", maxSequences: 3, nCtx: 3 * 1024 });
  });

  test("not even one sample fits in memory: a ConfigError naming the fixes", () => {
    const run = () => planKv(args(), cpu(1), { samples: 8, tokensPerSample: 32768 * 2 });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(/^one sample needs a KV cache of 1\.75 GiB \(prompt \+ max_tokens = 65536 tokens\) but kv_memory_fraction=0\.5 of the 1\.00 GiB free system memory holds \d+ tokens; lower max_tokens, use kv_type=q8_0 or raise kv_memory_fraction$/);
  });

  test("explicit sizes: kept when they hold a sample at full length, else fewer sequences at a time, else refused", () => {
    const explicit = args({ n_ctx: 8192, max_sequences: 4 });
    expect(planKv(explicit, cpu(20), { samples: 8, tokensPerSample: 2000 })).toMatchObject({ kvMode: "streams", nCtx: 8192, maxSequences: 4 });
    const fewer = planKv(explicit, cpu(20), { samples: 8, tokensPerSample: 3000 });
    expect(fewer).toMatchObject({ kvMode: "streams", nCtx: 8192, maxSequences: 2 });
    expect(fewer.reason).toBe("KV streams: 2 sequences x 4096 tokens (n_ctx=8192 holds 2 at full length, prompt + max_tokens = 3000 tokens: max_sequences=4 would cut them short, so 2 run at a time)");
    expect(planKv(args({ n_ctx: 8192, max_sequences: 4, kv_mode: "pool" }), cpu(20), { samples: 8, tokensPerSample: 5000 })).toMatchObject({ kvMode: "pool", nCtx: 8192, maxSequences: 4 });
    expect(() => planKv(explicit, cpu(20), { samples: 8, tokensPerSample: 9000 })).toThrow(/^--backend-args n_ctx=8192 cannot hold one sample \(prompt \+ max_tokens = 9000 tokens\); raise n_ctx to at least 9216 or lower max_tokens$/);
  });

  test("explicit kv_mode and one explicit size", () => {
    expect(planKv(args({ kv_mode: "pool" }), cpu(20), { samples: 4, tokensPerSample: 1000 })).toMatchObject({ kvMode: "pool", maxSequences: 4, nCtx: 4096 });
    expect(planKv(args({ kv_mode: "streams" }), cpu(20), { samples: 240, tokensPerSample: 32768 })).toMatchObject({ kvMode: "streams", maxSequences: 11 });
    expect(planKv(args({ n_ctx: 10_000 }), cpu(20), { samples: 8, tokensPerSample: 1000 })).toMatchObject({ kvMode: "streams", nCtx: 10_000, maxSequences: 8 });
    expect(planKv(args({ max_sequences: 2 }), cpu(20), { samples: 8, tokensPerSample: 1000 })).toMatchObject({ kvMode: "streams", nCtx: 2048, maxSequences: 2 });
  });

  test("recurrent models: streams only", () => {
    const rnn = { ...cpu(20), recurrent: true };
    expect(planKv(args(), rnn, { samples: 240, tokensPerSample: 32768 }).kvMode).toBe("streams");
    expect(() => planKv(args({ kv_mode: "pool" }), rnn, { samples: 4, tokensPerSample: 100 })).toThrow(/kv_mode=pool needs an attention-only model/);
  });

  test("unknown free memory: sized for the workload, the addon's own check guards", () => {
    expect(planKv(args(), { ...cpu(0) }, { samples: 4, tokensPerSample: 1000 })).toMatchObject({ kvMode: "streams", maxSequences: 4, nCtx: 4096 });
  });
});
