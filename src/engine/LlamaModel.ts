import { EngineError } from "../errors.js";
import { LlamaEngine, type LlamaEngineOptions } from "./LlamaEngine.js";
import { loadAddon, wantsCpu, type GpuRequest, type LoadedAddon } from "./loadAddon.js";
import type { AddonKvMemory, AddonModel, AddonModelMetadata } from "./native.js";
import type { KvType } from "./LlamaEngine.js";

export interface LlamaModelOptions {
  /** Which llama.cpp build to run on; falls back to the CPU with one log line. Default "auto". */
  gpu?: GpuRequest;
  /** Layers to offload to the GPU; default all when a GPU is in use, else 0. */
  gpuLayers?: number;
  /** Memory-map the weights (default true). */
  useMmap?: boolean;
  /**
   * Let llama.cpp repack weights for faster CPU kernels (its "extra buffer types"; default true).
   * Engines with `deterministic: true` need false: repacked products change with the batch.
   */
  repackWeights?: boolean;
  /** Our own log lines (GPU choice, fallbacks). llama.cpp's own go to stderr at `llamaLogLevel`. */
  onLog?: (message: string) => void;
  /** 0 none, 1 error (default), 2 warn, 3 info, 4 debug. */
  llamaLogLevel?: 0 | 1 | 2 | 3 | 4;
}

export type LlamaModelMetadata = AddonModelMetadata;
export type KvMemory = AddonKvMemory;

/** Where the model runs, for run records. */
export interface LlamaGpuInfo {
  requested: GpuRequest;
  variant: LoadedAddon["variant"];
  cpuBackend: LoadedAddon["cpuBackend"];
  gpu: boolean;
  gpuLayers: number;
  devices: string[];
  fallback?: string;
}

/** A GGUF model loaded in-process. Engines made from it share its weights. */
export class LlamaModel {
  readonly path: string;
  readonly metadata: LlamaModelMetadata;
  readonly gpu: LlamaGpuInfo;
  private native: AddonModel | undefined;
  private readonly engines = new Set<LlamaEngine>();

  private constructor(path: string, native: AddonModel, gpu: LlamaGpuInfo) {
    this.path = path;
    this.native = native;
    this.metadata = native.metadata();
    this.gpu = gpu;
  }

  /** Loads a GGUF file. A missing, truncated or non-GGUF file rejects with an EngineError. */
  static async load(path: string, opts: LlamaModelOptions = {}): Promise<LlamaModel> {
    const requested = opts.gpu ?? "auto";
    const addon = await loadAddon(requested, opts.onLog ?? (() => {}));
    addon.bindings.setLogLevel(opts.llamaLogLevel ?? 1);
    // gpu=cpu holds in a GPU build too (one addon per process, so it may be one).
    const onGpu = addon.gpu && !wantsCpu(requested);
    const gpuLayers = onGpu ? (opts.gpuLayers ?? -1) : 0;
    let native: AddonModel;
    try {
      native = await addon.bindings.loadModel(path, { gpuLayers, cpuOnly: !onGpu, useMmap: opts.useMmap ?? true, repackWeights: opts.repackWeights ?? true });
    } catch (err) {
      throw err instanceof TypeError ? err : new EngineError((err as Error).message);
    }
    const devices = addon.devices.filter((d) => (d.type === "cpu") !== onGpu).map((d) => `${d.name} (${d.description})`);
    const gpu: LlamaGpuInfo = { requested, variant: addon.variant, cpuBackend: addon.cpuBackend, gpu: onGpu, gpuLayers, devices, ...(addon.fallback ? { fallback: addon.fallback } : {}) };
    return new LlamaModel(path, native, gpu);
  }

  get closed(): boolean {
    return this.native === undefined;
  }

  tokenize(text: string, opts: { addSpecial?: boolean } = {}): Int32Array {
    return this.ensureOpen("tokenize").tokenize(text, opts.addSpecial ?? false);
  }

  detokenize(tokens: Int32Array | readonly number[], opts: { special?: boolean } = {}): string {
    const arr = tokens instanceof Int32Array ? tokens : Int32Array.from(tokens);
    return this.ensureOpen("detokenize").detokenize(arr, opts.special ?? false);
  }

  /** What a KV cache of this element type can be sized from: bytes per token and the memory free beside the weights. */
  kvMemory(kvType: KvType): KvMemory {
    return this.ensureOpen("kvMemory").kvMemory(kvType);
  }

  /** Creates a context and its engine thread. An impossible KV size rejects with an EngineError. */
  async createEngine(opts: LlamaEngineOptions = {}): Promise<LlamaEngine> {
    const engine = await LlamaEngine._create(this.ensureOpen("createEngine"), opts, () => this.engines.delete(engine));
    this.engines.add(engine);
    return engine;
  }

  /** Closes the engines made from this model, then releases the weights. */
  async close(): Promise<void> {
    await Promise.all([...this.engines].map((e) => e.close()));
    this.native?.close();
    this.native = undefined;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private ensureOpen(method: string): AddonModel {
    if (!this.native) throw new EngineError(`${method}: the model ${this.path} is closed`);
    return this.native;
  }
}
