import { z } from "zod";
import { ConfigError } from "../../errors.js";

/** `--backend-args` of the llama backend (DESIGN.md). Values arrive parsed from `k=v` strings. */
const LlamaArgsSchema = z.object({
  /** Which llama.cpp build: a GPU one falls back to the CPU with one log line. */
  // One literal list, not a union, so a bad value's message lists every valid one.
  gpu: z.literal(["auto", "cuda", "vulkan", "metal", "cpu", false]).default("auto"),
  /** Layers offloaded to the GPU; -1 = all (the default when a GPU is in use). */
  gpu_layers: z.number().int().min(-1).optional(),
  /** Sequences decoded together. */
  max_sequences: z.number().int().min(1).max(256).default(8),
  /** KV cells in all; each sequence gets n_ctx / max_sequences. Default: the model's context length per sequence, at most 8192. */
  n_ctx: z.number().int().min(1).optional(),
  n_batch: z.number().int().min(1).default(512),
  /** CPU threads; default the physical cores the process may use, fewer while that is faster. */
  threads: z.number().int().min(1).max(1024).optional(),
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
      : a.n_batch <= a.max_sequences ? `needs n_batch above max_sequences (${a.max_sequences}); raise n_batch`
      : undefined;
    if (why) throw new ConfigError(`--backend-args deterministic=True ${why}`);
  }
  return { ...a, kv_type };
}
