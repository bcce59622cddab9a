import { EngineError } from "../errors.js";
import type { SamplingParams } from "../sampling/index.js";
import type {
  AddonCompletion,
  AddonEngine,
  AddonEngineEvent,
  AddonEngineInfo,
  AddonFlashAttn,
  AddonKvMode,
  AddonKvType,
  AddonModel,
  AddonProgress,
  AddonRequest,
  JobId,
} from "./native.js";

export type KvType = AddonKvType;
export type FlashAttn = AddonFlashAttn;
export type KvMode = AddonKvMode;

/**
 * The largest values createEngine takes (native/src/addon_model.cpp checks the same bounds; a
 * test holds them equal), so that option parsers refuse larger ones before a model loads.
 */
export const ENGINE_LIMITS = { nCtx: 2 ** 30, nBatch: 2 ** 20, maxSequences: 1024, threads: 1024 } as const;

export interface LlamaEngineOptions {
  /**
   * KV cache cells in all (default 4096; llama.cpp pads it to a multiple of 256 per stream). With
   * kvMode "streams" each sequence gets nCtx / maxSequences of them, with "pool" any sequence may
   * grow into all of them.
   */
  nCtx?: number;
  /** Sequences decoded together (default 4); at most nBatch. */
  maxSequences?: number;
  /** Tokens per llama_decode call (default 512; capped by nCtx). */
  nBatch?: number;
  /**
   * CPU threads. Default: the physical cores this process may use (its affinity set and cgroup
   * CPU quota), and fewer while that decodes faster (other processes holding cores make llama.cpp's
   * spinning threads wait for each other). A number is used as given; above the CPUs the process
   * may use it is refused.
   */
  threads?: number;
  /** KV cache element type (default f16). */
  kvType?: KvType;
  flashAttn?: FlashAttn;
  /**
   * Batch-invariant decoding: every sequence's logits are bit for bit those it gets alone,
   * whatever else is in the batch (docs/performance.md says what is guaranteed and its cost). CPU
   * only; needs flash attention, a model loaded with `repackWeights: false`, and nBatch above
   * maxSequences; each sequence gets one KV cell less.
   */
  deterministic?: boolean;
  /**
   * "streams" (default): one KV stream per sequence; a sequence's attention does not depend on
   * what else is in the batch. "pool": one shared pool (llama.cpp's kv_unified) that sequences
   * take as they grow; when it is full the newest sequence is preempted and later recomputed, and
   * the n samples of a prompt share its cells. Attention then runs over the pool's cells, so
   * logits may change in the last bits with the batch (and deterministic is refused).
   */
  kvMode?: KvMode;
}

export interface EngineRequest {
  /** The rendered prompt; special tokens written in it (e.g. <|im_start|>) are parsed. */
  prompt: string;
  /** Samples of this prompt; they share one prefill. Default 1. */
  n?: number;
  /**
   * Which of the n samples to draw (distinct, each in [0, n)); all when absent. Sample i is seeded
   * by (seed, i), so it comes out the same whichever others are drawn with it.
   */
  samples?: number[];
  /**
   * vLLM's SamplingParams (max_tokens, stop, min_tokens, ignore_eos, logit_bias included), handed
   * to the engine unchanged; absent fields take its defaults: greedy, max_tokens 16.
   */
  sampling?: Partial<SamplingParams>;
  /** Let the tokenizer add BOS itself (default false: the chat template writes it). */
  addSpecial?: boolean;
}

/**
 * stop: end-of-generation token or stop string; length: maxTokens; context: prompt + completion
 * reached the model's context first (the engine's own sizes never cut a sample: a request they
 * cannot hold ends as "error" at once, naming the fix); abort: cancelled; error: see `error`.
 */
export type EngineFinishReason = AddonCompletion["finishReason"];

export interface EngineCompletion {
  /** Position of the request in the generate() call. */
  requestIndex: number;
  sampleIndex: number;
  text: string;
  finishReason: EngineFinishReason;
  error?: string;
  promptTokens: number;
  completionTokens: number;
  /** Times the KV pool took the sample's cells back; it was recomputed and its text is unchanged. */
  preemptions: number;
  /** Engine clock in ms: slot given, first token sampled (prefill done), finished. */
  timings: { admittedMs: number; firstTokenMs: number; endMs: number };
}

export interface EngineProgress {
  completedSamples: number;
  totalSamples: number;
  /** Sequences holding a slot in the engine (all callers). */
  active: number;
  /** Tokens since this generate() call started (recomputed prompt tokens included). */
  promptTokens: number;
  generatedTokens: number;
  /** Preemptions since this generate() call started (all callers). */
  preemptions: number;
  tokensPerSec: number;
  /** KV cells holding tokens now. */
  kvCellsUsed: number;
}

export interface EngineGenerateOptions {
  signal?: AbortSignal;
  onProgress?: (p: EngineProgress) => void;
}

export type LlamaEngineInfo = AddonEngineInfo & { kvType: KvType };

interface Job {
  queue: EngineCompletion[];
  wake: (() => void) | undefined;
  remaining: number;
  total: number;
  base: AddonProgress | undefined;
  onProgress: ((p: EngineProgress) => void) | undefined;
  /**
   * Rethrown to the consumer: what the caller's onProgress threw (not thrown into the addon's
   * callback), or the EngineError of an engine-thread failure that dropped this job's work.
   */
  failure?: unknown;
}

/** A context with its continuous-batching engine thread. */
export class LlamaEngine {
  readonly info: LlamaEngineInfo;
  private native: AddonEngine | undefined;
  private readonly jobs = new Map<JobId, Job>();
  private nextJob = 1;
  private lastProgress: AddonProgress | undefined;
  private closing: Promise<void> | undefined;

  private constructor(native: AddonEngine, opts: LlamaEngineOptions, private readonly onClose: () => void) {
    this.native = native;
    this.info = { ...native.info(), kvType: opts.kvType ?? "f16" };
  }

  /** @internal use LlamaModel.createEngine */
  static async _create(model: AddonModel, opts: LlamaEngineOptions, onClose: () => void): Promise<LlamaEngine> {
    let self: LlamaEngine | undefined;
    const pending: AddonEngineEvent[] = [];
    let native: AddonEngine;
    try {
      native = await model.createEngine(opts, (ev) => (self ? self.dispatch(ev) : pending.push(ev)));
    } catch (err) {
      throw err instanceof TypeError ? err : new EngineError((err as Error).message);
    }
    self = new LlamaEngine(native, opts, onClose);
    for (const ev of pending) self.dispatch(ev);
    return self;
  }

  get closed(): boolean {
    return this.native === undefined;
  }

  /**
   * Runs requests through the engine; completions arrive as they finish, in any order, each
   * sample exactly once. An aborted signal ends unfinished samples with finishReason "abort".
   */
  async *generate(requests: EngineRequest[], opts: EngineGenerateOptions = {}): AsyncGenerator<EngineCompletion> {
    const native = this.ensureOpen("generate");
    const job = this.nextJob++ as JobId;
    const addonRequests: AddonRequest[] = requests.map((r, index) => ({
      index,
      prompt: r.prompt,
      n: r.n ?? 1,
      ...(r.samples ? { samples: r.samples } : {}),
      sampling: r.sampling ?? {},
      ...(r.addSpecial ? { addSpecial: true } : {}),
    }));
    native.submit(job, addonRequests); // throws TypeError on a malformed request, before any state changes
    const total = addonRequests.reduce((sum, r) => sum + (r.samples?.length ?? r.n), 0);
    if (total === 0) return;
    const state: Job = { queue: [], wake: undefined, remaining: total, total, base: this.lastProgress, onProgress: opts.onProgress };
    this.jobs.set(job, state);
    if (this.jobs.size === 1) native.ref();
    const onAbort = () => this.native?.cancel(job);
    if (opts.signal?.aborted) onAbort();
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      while (state.remaining > 0 || state.queue.length > 0) {
        if (state.queue.length === 0 && state.failure === undefined) await new Promise<void>((resolve) => (state.wake = resolve));
        if (state.failure !== undefined) throw state.failure;
        while (state.queue.length > 0) yield state.queue.shift() as EngineCompletion;
      }
    } finally {
      opts.signal?.removeEventListener("abort", onAbort);
      if (state.remaining > 0) this.native?.cancel(job); // the consumer stopped early
      this.jobs.delete(job);
      if (this.jobs.size === 0) this.native?.unref();
    }
  }

  /** Stops the engine thread and frees the context; running generate() calls end with "abort". */
  close(): Promise<void> {
    if (!this.closing) {
      const native = this.native;
      this.closing = (async () => {
        if (native) await native.close();
        this.native = undefined;
        this.onClose();
      })();
    }
    return this.closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** @internal Test hook: makes the engine thread throw (AddonEngine.injectFault). */
  _injectFault(where: "loop" | "sampling", after: number): void {
    this.ensureOpen("injectFault").injectFault(where, after);
  }

  private dispatch(ev: AddonEngineEvent): void {
    if (ev.failure !== undefined) {
      for (const id of ev.failedJobs ?? []) {
        const job = this.jobs.get(id);
        if (job) job.failure ??= new EngineError(`${ev.failure}; the samples in flight were dropped (the engine goes on)`);
      }
    }
    for (const c of ev.completions) {
      const job = this.jobs.get(c.job);
      if (!job) continue; // a cancelled job whose consumer already left
      job.queue.push(toCompletion(c));
      job.remaining--;
    }
    this.lastProgress = ev.progress;
    for (const job of this.jobs.values()) {
      try {
        job.onProgress?.(jobProgress(job, ev.progress));
      } catch (err) {
        job.failure ??= err;
      }
      if (job.queue.length > 0 || job.remaining === 0 || job.failure !== undefined) {
        const wake = job.wake;
        job.wake = undefined;
        wake?.();
      }
    }
  }

  private ensureOpen(method: string): AddonEngine {
    if (!this.native || this.closing) throw new EngineError(`${method}: the engine is closed`);
    return this.native;
  }
}

function toCompletion(c: AddonCompletion): EngineCompletion {
  return {
    requestIndex: c.index,
    sampleIndex: c.sample,
    text: c.text,
    finishReason: c.finishReason,
    ...(c.error ? { error: c.error } : {}),
    promptTokens: c.promptTokens,
    completionTokens: c.completionTokens,
    preemptions: c.preemptions,
    timings: { admittedMs: c.tAdmitMs, firstTokenMs: c.tFirstTokenMs, endMs: c.tEndMs },
  };
}

function jobProgress(job: Job, p: AddonProgress): EngineProgress {
  return {
    completedSamples: job.total - job.remaining,
    totalSamples: job.total,
    active: p.active,
    promptTokens: p.promptTokens - (job.base?.promptTokens ?? 0),
    generatedTokens: p.generatedTokens - (job.base?.generatedTokens ?? 0),
    preemptions: p.preemptions - (job.base?.preemptions ?? 0),
    tokensPerSec: p.tokensPerSec,
    kvCellsUsed: p.kvCellsUsed,
  };
}
