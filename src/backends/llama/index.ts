/** The `llama` backend: GGUF models in-process through the native engine (DESIGN.md `Backend`). */
import { randomInt } from "node:crypto";
import { engineVersions, LlamaModel, type EngineRequest, type LlamaEngine, type LlamaEngineInfo, type LlamaGpuInfo } from "../../engine/index.js";
import { requestedSamples, type Backend, type ChatMessage, type Completion, type GenerateOptions, type GenerationRequest, type PromptRenderer } from "../types.js";
import { parseLlamaArgs, type LlamaArgs } from "./args.js";

export { parseLlamaArgs, LLAMA_ARG_KEYS, type LlamaArgs } from "./args.js";

export interface LlamaBackendOptions {
  modelPath: string;
  /** Raw `--backend-args`, validated here. */
  args: Record<string, unknown>;
  renderPrompt: PromptRenderer;
  onLog?: (level: string, message: string) => void;
}

/** What run.json records about the backend. */
export interface LlamaBackendInfo {
  backend: "llama";
  model: {
    path: string;
    architecture: string;
    name: string;
    parameterCount: number;
    fileType: string;
    sizeBytes: number;
    contextLength: number;
  };
  gpu: LlamaGpuInfo;
  engine: LlamaEngineInfo & { dtype: LlamaArgs["dtype"] };
  versions: { llamaCpp: { tag: string; commit: string | null }; addon: string };
}

export type LlamaBackend = Backend & { info: LlamaBackendInfo };

export async function createLlamaBackend(opts: LlamaBackendOptions): Promise<LlamaBackend> {
  const args = parseLlamaArgs(opts.args);
  const log = (message: string) => opts.onLog?.("info", message);
  // Deterministic decoding is for the CPU: gpu=auto becomes cpu (an explicit GPU was refused).
  const gpu = args.deterministic ? "cpu" : args.gpu;
  if (args.deterministic && args.gpu === "auto") log("llama: deterministic=True runs on the CPU; gpu=auto was not used");
  const model = await LlamaModel.load(opts.modelPath, {
    gpu,
    repackWeights: !args.deterministic,
    ...(args.gpu_layers !== undefined ? { gpuLayers: args.gpu_layers } : {}),
    useMmap: args.use_mmap,
    onLog: log,
  });
  let engine: LlamaEngine;
  try {
    engine = await model.createEngine({
      nCtx: args.n_ctx ?? args.max_sequences * Math.min(model.metadata.contextLength || 4096, 8192),
      maxSequences: args.max_sequences,
      nBatch: args.n_batch,
      threads: args.threads ?? 0,
      kvType: args.kv_type,
      flashAttn: args.flash_attn,
      deterministic: args.deterministic,
    });
  } catch (err) {
    await model.close();
    throw err;
  }
  const m = model.metadata;
  const info: LlamaBackendInfo = {
    backend: "llama",
    model: {
      path: model.path,
      architecture: m.architecture,
      name: m.name,
      parameterCount: m.parameterCount,
      fileType: m.fileType,
      sizeBytes: m.sizeBytes,
      contextLength: m.contextLength,
    },
    gpu: model.gpu,
    engine: { ...engine.info, dtype: args.dtype },
    versions: await engineVersions(),
  };
  log(`llama: ${m.architecture} ${m.fileType}, ${model.gpu.gpu ? `GPU (${model.gpu.variant})` : "CPU"}, kv ${args.kv_type}, ${engine.info.maxSequences} sequences x ${engine.info.nCtxPerSequence} tokens`);
  return {
    info,
    generate: (requests, genOpts) => generate(engine, opts.renderPrompt, requests, genOpts),
    close: () => model.close(),
  };
}

async function* generate(engine: LlamaEngine, render: PromptRenderer, requests: GenerationRequest[], opts: GenerateOptions = {}): AsyncGenerator<Completion> {
  // A request whose prompt cannot be rendered fails on its own; the others run.
  const prepared: { request: GenerationRequest; engineRequest: EngineRequest }[] = [];
  for (const request of requests) {
    let prompt: string;
    try {
      prompt = renderRequest(render, request);
    } catch (err) {
      const error = `request "${request.id}": the chat template failed: ${(err as Error).message}`;
      for (const i of requestedSamples(request)) yield failed(request, i, error);
      continue;
    }
    prepared.push({ request, engineRequest: toEngineRequest(request, prompt) });
  }
  const stream = engine.generate(prepared.map((p) => p.engineRequest), {
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  for await (const c of stream) {
    const request = prepared[c.requestIndex]!.request;
    yield {
      requestId: request.id,
      sampleIndex: c.sampleIndex,
      text: c.text,
      finishReason: c.finishReason,
      ...(c.error ? { error: `request "${request.id}": ${c.error}` } : {}),
      promptTokens: c.promptTokens,
      completionTokens: c.completionTokens,
    };
  }
}

/** The assistant prefill becomes a final assistant message that the model continues. */
function renderRequest(render: PromptRenderer, request: GenerationRequest): string {
  if (request.assistantPrefill === undefined) return render(request.messages, { continueFinalMessage: false });
  const messages: ChatMessage[] = [...request.messages, { role: "assistant", content: request.assistantPrefill }];
  return render(messages, { continueFinalMessage: true });
}

/** The request's SamplingParams go to the engine as they are; an unseeded request gets a random seed. */
function toEngineRequest(request: GenerationRequest, prompt: string): EngineRequest {
  return {
    prompt,
    n: request.n,
    ...(request.samples ? { samples: request.samples } : {}),
    sampling: { ...request.sampling, seed: request.sampling.seed ?? randomInt(2 ** 47) },
  };
}

function failed(request: GenerationRequest, sampleIndex: number, error: string): Completion {
  return { requestId: request.id, sampleIndex, text: "", finishReason: "error", error, promptTokens: 0, completionTokens: 0 };
}
