/** Backends by name: `llama` (in-process GGUF, the default), `openai` and its alias `vllm`. */
import { ConfigError } from "../errors.js";
import type { Backend, PromptRenderer } from "./types.js";

export type { Backend, ChatMessage, Completion, FinishReason, GenerationRequest, GenerateOptions, Progress, PromptRenderer, SamplingParams } from "./types.js";

export { LLAMA_ARG_KEYS, LLAMA_ARGS_HELP } from "./llama/args.js";

export const BACKEND_NAMES = ["llama", "openai", "vllm"] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** `--backend` (case-insensitive, as upstream's enum) as one of ours. */
export function backendName(name: string): BackendName {
  const lower = name.toLowerCase();
  if ((BACKEND_NAMES as readonly string[]).includes(lower)) return lower as BackendName;
  const hint = lower === "ray" ? " (ray is upstream's; run vLLM's OpenAI server and use --backend openai)" : "";
  throw new ConfigError(`--backend: unknown backend "${name}"${hint}; valid backends are ${BACKEND_NAMES.join(", ")}`);
}

/**
 * Checks `--backend-args` before anything slow happens (dataset download, GGUF hashing, model
 * load): an unknown key or bad value throws the backend's own ConfigError. The arg parsers are
 * small modules; the backends themselves (and the native addon) are not loaded here.
 */
export async function validateBackendArgs(name: BackendName, model: string, args: Record<string, unknown>): Promise<void> {
  if (name === "llama") {
    const { parseLlamaArgs } = await import("./llama/args.js");
    parseLlamaArgs(args);
  } else {
    const { parseOpenAIArgs } = await import("./openai/args.js");
    parseOpenAIArgs(model, args);
  }
}

export interface CreateBackendOptions {
  /** For llama: the local GGUF path; for openai: the served model name. */
  model: string;
  /** Raw `--backend-args`; each backend validates its own keys. */
  args: Record<string, unknown>;
  renderPrompt?: PromptRenderer | undefined;
  onLog?: ((level: string, message: string) => void) | undefined;
}

export type CreatedBackend = Backend & { info?: unknown };

/** Builds a backend; each module is imported on demand (the llama one loads a native addon). */
export async function createBackend(name: BackendName, opts: CreateBackendOptions): Promise<CreatedBackend> {
  if (name === "llama") {
    if (!opts.renderPrompt) throw new ConfigError(`the llama backend needs the model's chat template; pass --chat-template FILE`);
    const { createLlamaBackend } = await import("./llama/index.js");
    return createLlamaBackend({
      modelPath: opts.model,
      args: opts.args,
      renderPrompt: opts.renderPrompt,
      ...(opts.onLog ? { onLog: opts.onLog } : {}),
    });
  }
  const { createOpenAIBackend } = await import("./openai/index.js");
  return createOpenAIBackend({
    model: opts.model,
    args: opts.args,
    renderPrompt: opts.renderPrompt,
    ...(opts.onLog ? { onLog: opts.onLog } : {}),
  });
}
