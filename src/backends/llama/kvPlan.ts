import { ConfigError } from "../../errors.js";
import type { LlamaArgs } from "./args.js";

/**
 * How many KV cells, how many sequences at once and which KV layout a generate() call gets
 * (issue 10: defaults that need no tuning). Pure: the facts come in, the plan and the one line that
 * says why go out. The rule, from the measurements in docs/performance.md:
 *
 * - The memory is `kv_memory_fraction` (0.9 on a GPU as vLLM's gpu_memory_utilization, 0.5 on the
 *   CPU, whose RAM the system shares) of what is free beside the weights, less a reserve for
 *   compute buffers; or `n_ctx` cells when given.
 * - Parallelism is `max_sequences`, else min(16 on the CPU / 64 on a GPU, samples, n_batch).
 * - kv_mode auto is per-sequence streams sized for prompt + max_tokens (capped at the model's
 *   context), as many at once as the memory holds, at least one: when memory is the limit, fewer
 *   sequences run at a time. Measured on the CPU, the shared pool lost even there: its attention
 *   runs over every used cell of the pool, so with reasoning-length samples 16 sequences sharing
 *   a pool decoded at 0.45-0.55x the tokens/s of 4 streams in the same memory (docs/performance.md,
 *   Benchmarks). The pool stays a choice (kv_mode=pool) for short generations, where it is
 *   close to streams, and for GPUs, where it is not measured.
 * - A sample is never cut by these sizes: what cannot hold one sample at full length is a
 *   ConfigError naming the fix.
 */

export interface KvWorkload {
  /** Samples the call asks for. */
  samples: number;
  /** Longest prompt + max_tokens, capped at the model's context: what one sample may fill. */
  tokensPerSample: number;
}

export interface KvMachine {
  kvBytesPerToken: number;
  /** Free VRAM (GPU) or MemAvailable less the weights (CPU); 0 when unknown. */
  freeBytes: number;
  onGpu: boolean;
  /** Recurrent or hybrid models keep state per sequence: streams only. */
  recurrent: boolean;
}

export interface KvPlan {
  kvMode: "streams" | "pool";
  nCtx: number;
  maxSequences: number;
  /** One line for the log: what was chosen and why. */
  reason: string;
}

export type KvArgs = Pick<LlamaArgs, "n_ctx" | "max_sequences" | "kv_mode" | "kv_memory_fraction" | "n_batch" | "deterministic">;

const CELL_ALIGN = 256; // llama.cpp pads KV sizes to 256 cells (per stream)
const MIB = 2 ** 20;

function roundUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
}

/** The KV cells the memory allows (Infinity when the free memory is unknown: the addon checks then). */
export function memoryCells(args: KvArgs, machine: KvMachine): number {
  if (machine.freeBytes <= 0) return Infinity;
  const fraction = args.kv_memory_fraction ?? (machine.onGpu ? 0.9 : 0.5);
  const reserve = (machine.onGpu ? 512 : 256) * MIB;
  return Math.floor((Math.max(0, machine.freeBytes - reserve) * fraction) / machine.kvBytesPerToken);
}

export function planKv(args: KvArgs, machine: KvMachine, workload: KvWorkload): KvPlan {
  // Deterministic decoding keeps one cell per sequence for its throwaway token, and may add a
  // token to a decode step: one sequence less than n_batch.
  const work = { ...workload, tokensPerSample: workload.tokensPerSample + (args.deterministic ? 1 : 0) };
  const perSeq = roundUp(work.tokensPerSample, CELL_ALIGN);
  const budget = memoryCells(args, machine);
  const cells = args.n_ctx ?? budget;
  const parallel = args.max_sequences ?? Math.max(1, Math.min(machine.onGpu ? 64 : 16, work.samples, args.n_batch - (args.deterministic ? 1 : 0)));
  const need = `prompt + max_tokens = ${work.tokensPerSample} tokens`;
  if (cells < work.tokensPerSample) {
    if (args.n_ctx !== undefined) {
      throw new ConfigError(`--backend-args n_ctx=${args.n_ctx} cannot hold one sample (${need}); raise n_ctx to at least ${perSeq} or lower max_tokens`);
    }
    const fraction = args.kv_memory_fraction ?? (machine.onGpu ? 0.9 : 0.5);
    throw new ConfigError(
      `one sample needs a KV cache of ${gib(work.tokensPerSample * machine.kvBytesPerToken)} (${need}) but kv_memory_fraction=${fraction} of the ` +
        `${gib(machine.freeBytes)} free ${machine.onGpu ? "GPU" : "system"} memory holds ${budget} tokens; lower max_tokens, use kv_type=q8_0 or raise kv_memory_fraction`,
    );
  }
  if (args.kv_mode === "pool") {
    if (machine.recurrent) {
      throw new ConfigError(`--backend-args kv_mode=pool needs an attention-only model, and this one keeps recurrent state per sequence; use kv_mode=streams`);
    }
    const nCtx = args.n_ctx ?? Math.min(budget, parallel * perSeq);
    return { kvMode: "pool", nCtx, maxSequences: parallel, reason: `KV pool: ${nCtx} tokens shared by up to ${parallel} sequences (kv_mode=pool)` };
  }
  // Streams: as many full-length slices as the cells hold, never more than asked for.
  const fit = Math.max(1, Math.floor(cells / perSeq));
  const maxSequences = Math.min(parallel, fit);
  const nCtx = args.n_ctx ?? maxSequences * perSeq;
  const perStream = Math.floor(nCtx / maxSequences);
  let why = `each holds prompt + max_tokens = ${work.tokensPerSample} tokens`;
  if (maxSequences < parallel) {
    const asked = args.max_sequences !== undefined ? `max_sequences=${parallel}` : `${parallel} sequences`;
    const room = args.n_ctx !== undefined ? `n_ctx=${args.n_ctx}` : `the memory (kv_memory_fraction of the free ${machine.onGpu ? "VRAM" : "RAM"})`;
    why = `${room} holds ${fit} at full length, prompt + max_tokens = ${work.tokensPerSample} tokens: ${asked} would cut them short, so ${maxSequences} run at a time`;
  }
  return { kvMode: "streams", nCtx, maxSequences, reason: `KV streams: ${maxSequences} sequence${maxSequences === 1 ? "" : "s"} x ${perStream} tokens (${why})` };
}
