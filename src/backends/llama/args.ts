import { z } from "zod";
import { ENGINE_LIMITS } from "../../engine/index.js";
import { ConfigError } from "../../errors.js";

/** `--backend-args` of the llama backend (DESIGN.md). Values arrive parsed from `k=v` strings. */
const LlamaArgsSchema = z.object({
  /** Which llama.cpp build: a GPU one falls back to the CPU with one log line. */
  // One literal list, not a union, so a bad value's message lists every valid one.
  gpu: z.literal(["auto", "cuda", "vulkan", "metal", "cpu", false]).default("auto"),
  /** Layers offloaded to the GPU; -1 = all (the default when a GPU is in use). */
  gpu_layers: z.number().int().min(-1).optional(),
  /** Sequences decoded together. Default: as many as the KV memory holds at full length, at most 16 on the CPU and 64 on a GPU (kvPlan.ts). */
  max_sequences: z.number().int().min(1).max(256).optional(),
  /** KV cells in all. Default: sized from free memory and the requests (kvPlan.ts). */
  n_ctx: z.number().int().min(1).max(ENGINE_LIMITS.nCtx).optional(),
  n_batch: z.number().int().min(1).max(ENGINE_LIMITS.nBatch).default(512),
  /** How sequences share the KV cache: auto (streams, kvPlan.ts), streams or pool. */
  kv_mode: z.enum(["auto", "streams", "pool"]).default("auto"),
  /** Fraction of free memory (beside the weights) the KV cache may take; default 0.9 on a GPU, 0.5 on the CPU. */
  kv_memory_fraction: z.number().gt(0).max(1).optional(),
  /** CPU threads; default the physical cores the process may use, fewer while that is faster. */
  threads: z.number().int().min(1).max(ENGINE_LIMITS.threads).optional(),
  kv_type: z.enum(["f32", "f16", "bf16", "q8_0"]).optional(),
  flash_attn: z.enum(["auto", "on", "off"]).default("auto"),
  /** Compute precision as vLLM spells it; maps onto kv_type (the weights keep the GGUF's type). */
  dtype: z.enum(["auto", "float32", "float16", "bfloat16"]).default("auto"),
  use_mmap: z.boolean().default(true),
  /** Batch-invariant decoding on the CPU: a sample's text does not depend on what else runs (docs/performance.md). */
  deterministic: z.boolean().default(false),
});

export type LlamaArgs = Omit<z.infer<typeof LlamaArgsSchema>, "kv_type"> & { kv_type: "f32" | "f16" | "bf16" | "q8_0" };

export const LLAMA_ARG_KEYS = Object.keys(LlamaArgsSchema.shape);

/** The KV knobs, for `--help` (README "Backends" has the full table). */
export const LLAMA_ARGS_HELP = `
llama --backend-args (k=v,...); the KV cache needs no tuning, these override it:
  n_ctx=N               KV cache tokens in all (default: sized from free memory and the run's
                        prompts + max_tokens)
  max_sequences=N       sequences decoded together (default: as many as the memory holds at full
                        length, at most 16 on the CPU and 64 on a GPU; at most n_batch)
  kv_mode=M             streams (default, "auto"): one KV slice of prompt + max_tokens per
                        sequence, fewer sequences at a time when memory is short; its attention
                        does not depend on the batch. pool: one shared pool that runs more
                        sequences, preempting (and later recomputing) the newest when it is full;
                        slower per token at long lengths on the CPU (README: Performance)
  kv_memory_fraction=F  share of the free RAM (0.5) or VRAM (0.9) beside the weights the KV cache
                        may take
  also n_batch, threads, gpu, gpu_layers, kv_type, flash_attn, dtype, use_mmap (README: Backends)
A sample never ends early because of these sizes (what cannot hold prompt + max_tokens is refused
before generating); only the model's own context can stop it first, with finish reason "context".
`;

const DTYPE_KV = { auto: "f16", float32: "f32", float16: "f16", bfloat16: "bf16" } as const;

/** Validates raw `--backend-args`; unknown keys and bad values are ConfigErrors naming the key. */
export function parseLlamaArgs(raw: Record<string, unknown>): LlamaArgs {
  const unknown = Object.keys(raw).filter((k) => !LLAMA_ARG_KEYS.includes(k));
  if (unknown.length > 0) {
    throw new ConfigError(`unknown --backend-args key${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")} for the llama backend; valid keys: ${LLAMA_ARG_KEYS.join(", ")}`);
  }
  const parsed = LlamaArgsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path.join(".");
    throw new ConfigError(`--backend-args ${key}=${JSON.stringify(raw[key as keyof typeof raw])}: ${issue.message}`);
  }
  const a = parsed.data;
  const fromDtype = DTYPE_KV[a.dtype];
  if (a.kv_type && a.dtype !== "auto" && a.kv_type !== fromDtype) {
    throw new ConfigError(`--backend-args kv_type=${a.kv_type} contradicts dtype=${a.dtype} (which means kv_type=${fromDtype}); set only one of them`);
  }
  const kv_type = a.kv_type ?? fromDtype;
  if (kv_type === "q8_0" && a.flash_attn === "off") {
    throw new ConfigError(`--backend-args kv_type=q8_0 needs flash attention; set flash_attn=on or auto`);
  }
  if (a.deterministic) {
    const why =
      a.gpu !== "auto" && a.gpu !== "cpu" && a.gpu !== false ? `runs on the CPU (GPU kernels change with the batch size); drop gpu=${a.gpu} or set gpu=cpu`
      : a.flash_attn === "off" ? "needs flash attention; set flash_attn=on or auto"
      : a.kv_mode === "pool" ? "needs kv_mode=streams (in the pool a sequence's attention visits its cells among other sequences'); drop kv_mode=pool"
      : a.max_sequences !== undefined && a.n_batch <= a.max_sequences ? `needs n_batch above max_sequences (${a.max_sequences}); raise n_batch`
      : undefined;
    if (why) throw new ConfigError(`--backend-args deterministic=True ${why}`);
  }
  // Each decode step takes one token from every sequence (llama.cpp asserts on fewer batch rows).
  const nBatch = Math.min(a.n_batch, a.n_ctx ?? a.n_batch);
  if (a.max_sequences !== undefined && nBatch < a.max_sequences) {
    const capped = nBatch < a.n_batch ? ` (n_ctx=${a.n_ctx} caps it)` : "";
    throw new ConfigError(`--backend-args n_batch=${nBatch}${capped} is below max_sequences=${a.max_sequences}: each decode step takes one token from every sequence; raise n_batch to at least ${a.max_sequences} or lower max_sequences`);
  }
  return { ...a, kv_type };
}
