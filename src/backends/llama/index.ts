/** The `llama` backend: GGUF models in-process through the native engine (DESIGN.md `Backend`). */
import { randomInt } from "node:crypto";
import { engineVersions, LlamaModel, type EngineRequest, type LlamaEngineInfo, type LlamaGpuInfo } from "../../engine/index.js";
import { requestedSamples, type Backend, type ChatMessage, type Completion, type GenerateOptions, type GenerationRequest, type PromptRenderer } from "../types.js";
import { parseLlamaArgs, type LlamaArgs } from "./args.js";
import type { KvWorkload } from "./kvPlan.js";
import { SizedEngine } from "./sizedEngine.js";

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
  /** The engine as llama.cpp sized it, and why (kvPlan.ts); set by the first generate() call. */
  engine?: LlamaEngineInfo & { dtype: LlamaArgs["dtype"]; plan: string };
  /**
   * Set when prompt + max_tokens of some request exceeds the model's context: those samples may
   * end early with finish reason "context" (the effective limit is the context, said once).
   */
  contextLimit?: { contextTokens: number; maxTokens: number; longestPromptTokens: number; requests: number };
  /** Times the KV pool took a sample's cells back (each was recomputed, its text unchanged). */
  preemptions: number;
  versions: { llamaCpp: { tag: string; commit: string | null }; addon: string };
}

export type LlamaBackend = Backend & { info: LlamaBackendInfo };

export async function createLlamaBackend(opts: LlamaBackendOptions): Promise<LlamaBackend> {
  const args = parseLlamaArgs(opts.args);
  const log = (message: string) => opts.onLog?.("info", message);
  // Deterministic decoding is for the CPU: gpu=auto becomes cpu (an explicit GPU was refused).
  const gpu = args.deterministic ? "cpu" : args.gpu;
  if (args.deterministic && args.gpu === "auto") log("llama: deterministic=True runs on the CPU; gpu=auto was not used");
  const warn = (message: string) => opts.onLog?.("warn", message);
  const model = await LlamaModel.load(opts.modelPath, {
    gpu,
    repackWeights: !args.deterministic,
    ...(args.gpu_layers !== undefined ? { gpuLayers: args.gpu_layers } : {}),
    useMmap: args.use_mmap,
    onLog: log,
  });
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
    preemptions: 0,
    versions: await engineVersions(),
  };
  log(`llama: ${m.architecture} ${m.fileType}, ${model.gpu.gpu ? `GPU (${model.gpu.variant})` : "CPU"}, kv ${args.kv_type}`);
  const engine = new SizedEngine(model, args, log);
  const session: Session = { model, engine, info, args, render: opts.renderPrompt, warn };
  return {
    info,
    generate: (requests, genOpts) => generate(session, requests, genOpts),
    close: async () => {
      await engine.close();
      await model.close();
    },
  };
}

interface Session {
  model: LlamaModel;
  engine: SizedEngine;
  info: LlamaBackendInfo;
  args: LlamaArgs;
  render: PromptRenderer;
  warn: (message: string) => void;
}

interface Prepared {
  request: GenerationRequest;
  engineRequest: EngineRequest;
  promptTokens: number;
}

async function* generate(session: Session, requests: GenerationRequest[], opts: GenerateOptions = {}): AsyncGenerator<Completion> {
  // A request whose prompt cannot be rendered fails on its own; the others run.
  const prepared: Prepared[] = [];
  for (const request of requests) {
    let prompt: string;
    try {
      prompt = renderRequest(session.render, request);
    } catch (err) {
      const error = `request "${request.id}": the chat template failed: ${(err as Error).message}`;
      for (const i of requestedSamples(request)) yield failed(request, i, error);
      continue;
    }
    prepared.push({ request, engineRequest: toEngineRequest(request, prompt), promptTokens: session.model.tokenize(prompt).length });
  }
  if (prepared.length === 0) return;
  const engine = await session.engine.acquire(workload(session, prepared));
  try {
    session.info.engine = { ...engine.info, dtype: session.args.dtype, plan: session.engine.plan?.reason ?? "" };
    const stream = engine.generate(prepared.map((p) => p.engineRequest), {
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    });
    for await (const c of stream) {
      const request = prepared[c.requestIndex]!.request;
      session.info.preemptions += c.preemptions;
      yield {
        requestId: request.id,
        sampleIndex: c.sampleIndex,
        text: c.text,
        finishReason: c.finishReason,
        ...(c.error ? { error: `request "${request.id}": ${c.error}` } : {}),
        promptTokens: c.promptTokens,
        completionTokens: c.completionTokens,
        ...(c.preemptions > 0 ? { preemptions: c.preemptions } : {}),
      };
    }
  } finally {
    session.engine.release();
  }
}

/**
 * What one sample of this call may fill: the longest prompt + max_tokens, capped at the model's
 * context (vLLM's max_model_len rule). Where the cap bites, the effective limit is said once and
 * recorded; prompts the context cannot hold at all are left to the engine, which fails them alone.
 */
function workload(session: Session, prepared: Prepared[]): KvWorkload {
  const context = session.model.metadata.contextLength > 0 ? session.model.metadata.contextLength : Infinity;
  let tokensPerSample = 0;
  let samples = 0;
  const over: Prepared[] = [];
  for (const p of prepared) {
    const want = p.promptTokens + p.request.sampling.max_tokens;
    samples += requestedSamples(p.request).length;
    if (p.promptTokens >= context) continue;
    if (want > context) over.push(p);
    tokensPerSample = Math.max(tokensPerSample, Math.min(want, context));
  }
  if (over.length > 0) {
    const maxTokens = Math.max(...over.map((p) => p.request.sampling.max_tokens));
    const longestPromptTokens = Math.max(...over.map((p) => p.promptTokens));
    session.info.contextLimit = { contextTokens: context, maxTokens, longestPromptTokens, requests: over.length };
    session.warn(
      `max_tokens=${maxTokens} with prompts of up to ${longestPromptTokens} tokens exceeds the model's context of ${context} tokens: ` +
        `${over.length} request(s) may end early with finish reason "context" (prompt + completion = ${context})`,
    );
  }
  return { samples, tokensPerSample: Math.max(tokensPerSample, 1) };
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
