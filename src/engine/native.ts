/**
 * The shape of the native addon (native/src/binding.cpp and friends): the only file that
 * describes it, and only src/engine imports it. Nothing here is exported from the package.
 */

import type { SamplingParams } from "../sampling/index.js";

/** One generate() call on an engine; completions come back tagged with it. */
export type JobId = number & { readonly __jobId: never };

export type AddonLogLevel = 0 | 1 | 2 | 3 | 4; // none, error, warn, info, debug

export interface AddonDevice {
  name: string;
  description: string;
  type: "cpu" | "gpu" | "igpu" | "accel";
  memoryFree: number;
  memoryTotal: number;
}

export interface AddonModelMetadata {
  architecture: string;
  name: string;
  description: string;
  fileType: string;
  parameterCount: number;
  sizeBytes: number;
  contextLength: number;
  layerCount: number;
  embeddingLength: number;
  vocabSize: number;
  chatTemplate: string;
  bosToken: number;
  eosToken: number;
  addBos: boolean;
  bosText: string;
  eosText: string;
  eogTokens: number[];
}

export type AddonKvType = "f32" | "f16" | "bf16" | "q8_0";
export type AddonFlashAttn = "auto" | "on" | "off";
/** streams: one KV stream per sequence (kv_unified off); pool: one shared pool with preemption. */
export type AddonKvMode = "streams" | "pool";

export interface AddonEngineOptions {
  nCtx?: number;
  maxSequences?: number;
  nBatch?: number;
  /** 0: the physical cores the process may use (affinity, cgroup quota), fewer while others hold them. */
  threads?: number;
  kvType?: AddonKvType;
  flashAttn?: AddonFlashAttn;
  /** Batch-invariant decoding (CPU, streams, flash attention, a model loaded with repackWeights false). */
  deterministic?: boolean;
  /** Default "streams". */
  kvMode?: AddonKvMode;
}

/** What the KV cache can be sized from (native/src/kv_budget.h). */
export interface AddonKvMemory {
  kvBytesPerToken: number;
  /** Free VRAM of the first GPU when layers are offloaded, else MemAvailable less the weights; 0: unknown. */
  freeBytes: number;
  onGpu: boolean;
  /** Recurrent or hybrid model (per-sequence state, not KV cells): no pool. */
  recurrent: boolean;
}

export interface AddonRequest {
  /** The request's position in its job. */
  index: number;
  prompt: string;
  n: number;
  /** Which of the n samples to draw (distinct, each in [0, n)); all when absent. */
  samples?: number[];
  /**
   * vLLM's SamplingParams, read by the addon field by field (native/src/sampler.h SAMPLING_FIELDS);
   * absent fields take the engine's defaults (greedy, max_tokens 16). An unknown key or a value out
   * of bounds is a TypeError.
   */
  sampling: Partial<SamplingParams>;
  /** Let the tokenizer add BOS/EOS itself (off: the chat template writes them). */
  addSpecial?: boolean;
}

/** One row of the addon's SAMPLING_FIELDS table. */
export interface AddonSamplingField {
  name: string;
  kind: "number" | "integer" | "boolean" | "strings" | "token_biases";
  min: number;
  max: number;
  minExclusive: boolean;
}

export interface AddonCompletion {
  job: JobId;
  index: number;
  sample: number;
  text: string;
  /** context: prompt + completion reached the model's context before maxTokens. */
  finishReason: "stop" | "length" | "context" | "abort" | "error";
  error?: string;
  promptTokens: number;
  completionTokens: number;
  /** Times the KV pool took this sample's cells back (it was recomputed, unchanged). */
  preemptions: number;
  /** Engine clock (ms since the engine started): slot given, first token sampled, finished. */
  tAdmitMs: number;
  tFirstTokenMs: number;
  tEndMs: number;
}

export interface AddonProgress {
  active: number;
  queued: number;
  /** Totals since the engine started. */
  promptTokens: number;
  generatedTokens: number;
  preemptions: number;
  tokensPerSec: number;
  /** KV cells holding tokens now. */
  kvCellsUsed: number;
}

export interface AddonEngineEvent {
  completions: AddonCompletion[];
  progress: AddonProgress;
  /** Set when the engine thread caught an exception and dropped the work of `failedJobs`. */
  failure?: string;
  failedJobs?: JobId[];
}

/** Sizes as llama.cpp settled them (n_ctx padded to 256 cells per stream, n_batch capped by n_ctx). */
export interface AddonEngineInfo {
  kvMode: AddonKvMode;
  nCtx: number;
  /** Cells one sequence may fill: its stream, or the whole pool. */
  nCtxPerSequence: number;
  /** Tokens (prompt + completion) a sample may reach: nCtxPerSequence or the model's context if smaller. */
  contextTokens: number;
  maxSequences: number;
  nBatch: number;
  /** The most compute threads; with threadsAdaptive, decoding uses fewer while that is faster. */
  threads: number;
  threadsAdaptive: boolean;
  kvCacheBytes: number;
  /** What llama.cpp made of the flashAttn option; "auto" only when it did not say. */
  flashAttn: AddonFlashAttn;
  deterministic: boolean;
}

export interface AddonEngine {
  submit(job: JobId, requests: AddonRequest[]): void;
  cancel(job: JobId): void;
  /** Keep the process alive while completions are awaited. */
  ref(): void;
  unref(): void;
  /** Unfinished work is delivered as "abort" before this settles. */
  close(): Promise<void>;
  info(): AddonEngineInfo;
  /**
   * Test hook (the exception-boundary tests): the (after + 1)-th engine loop step, or draw on the
   * sampling threads, from now throws inside the engine thread. Not for product code.
   */
  injectFault(where: "loop" | "sampling", after: number): void;
}

export interface AddonModel {
  metadata(): AddonModelMetadata;
  tokenize(text: string, addSpecial: boolean): Int32Array;
  detokenize(tokens: Int32Array, special: boolean): string;
  createEngine(options: AddonEngineOptions, onEvent: (event: AddonEngineEvent) => void): Promise<AddonEngine>;
  kvMemory(kvType: AddonKvType): AddonKvMemory;
  /** Engines made from the model keep it alive. */
  close(): void;
}

export interface AddonBindings {
  /**
   * Loads ggml's backend libraries once per process: `cpuModule` (the CPU backend compiled at
   * install; "" for none) as the CPU backend, else the prebuilt folder's. Returns the devices and
   * whether the module was used.
   */
  loadBackends(dir: string, cpuModule: string): { devices: AddonDevice[]; cpuModule: boolean };
  setLogLevel(level: AddonLogLevel): void;
  systemInfo(): string;
  /** `cpuOnly`: the model gets no GPU device at all (gpu=cpu in a GPU build); `gpuLayers` -1 = all. */
  loadModel(path: string, options: { gpuLayers?: number; cpuOnly?: boolean; useMmap?: boolean; repackWeights?: boolean }): Promise<AddonModel>;
  /** Independent draws from one row of logits by the engine's sampler, off the JS thread. */
  sampleTokens(logits: Float32Array, sampling: Partial<SamplingParams>, draws: number, sampleIndex: number): Promise<Int32Array>;
  /** The sampling parameters the addon reads, with their bounds. */
  samplingFields(): AddonSamplingField[];
  /** The CPUs this process may use, as the engine's thread default reads them. */
  cpuBudget(): { logical: number; physical: number; source: string };
  /** The engine's thread tuner on given costs (ms per token by thread count): the count used per step. */
  tuneThreads(nMax: number, nStart: number, msPerToken: number[], tokensPerStep: number, steps: number): Int32Array;
}
