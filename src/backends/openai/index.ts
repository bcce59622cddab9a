import { BackendError, ConfigError } from "../../errors.js";
import type { Backend, Completion, GenerateOptions, GenerationRequest, PromptRenderer } from "../types.js";
import { parseOpenAIArgs, type OpenAISettings } from "./args.js";
import { Endpoint } from "./endpoint.js";
import { GenerationRun } from "./run.js";

export { OpenAIArgsSchema, parseOpenAIArgs, type OpenAISettings } from "./args.js";

export interface OpenAIBackendOptions {
  /** `--model`; the served name unless backend arg `model` overrides it. */
  model: string;
  /** Raw `--backend-args`, validated here. */
  args: Record<string, unknown>;
  /** The model's chat template; required with mode=completions. */
  renderPrompt?: PromptRenderer | undefined;
  /** Endpoints taken out and back. */
  onLog?: ((level: "warn" | "info", message: string) => void) | undefined;
}

export interface OpenAIBackendInfo {
  baseUrls: string[];
  model: string;
  mode: OpenAISettings["mode"];
  maxConcurrency: number;
}

export interface OpenAIBackend extends Backend {
  readonly info: OpenAIBackendInfo;
  /** Requests sent to each endpoint so far, by base URL (balancing statistics). */
  requestCounts(): Record<string, number>;
}

/**
 * The remote backend (`openai`, alias `vllm`): OpenAI-compatible servers (vLLM, llama-server,
 * OpenAI itself), one or many, balanced by least outstanding requests, with retries.
 */
export function createOpenAIBackend(opts: OpenAIBackendOptions): OpenAIBackend {
  const settings = parseOpenAIArgs(opts.model, opts.args);
  if (settings.mode === "completions" && !opts.renderPrompt) {
    throw new ConfigError(
      `backend arg mode=completions renders the chat template on this side, but no template is known for ` +
        `model "${opts.model}"; use mode=chat (the server applies its template) or give the model's chat template`,
    );
  }
  const endpoints = settings.baseUrls.map((url) => new Endpoint(url, settings.max_concurrency, settings.first_byte_timeout * 1000, opts.onLog));
  const headers: Record<string, string> = { "user-agent": "skythought", accept: "application/json" };
  if (settings.api_key) headers.authorization = `Bearer ${settings.api_key}`;
  if (settings.organization) headers["openai-organization"] = settings.organization;
  if (settings.project) headers["openai-project"] = settings.project;
  const runSettings = {
    mode: settings.mode,
    model: settings.model,
    renderPrompt: opts.renderPrompt,
    headers,
    timeoutMs: settings.timeout * 1000,
    firstByteTimeoutMs: settings.first_byte_timeout * 1000,
    maxRetries: settings.max_retries,
  };
  let closed = false;

  return {
    info: {
      baseUrls: settings.baseUrls,
      model: settings.model,
      mode: settings.mode,
      maxConcurrency: settings.max_concurrency,
    },
    requestCounts: () => Object.fromEntries(endpoints.map((ep) => [ep.url, ep.started])),
    async *generate(requests: GenerationRequest[], genOpts?: GenerateOptions): AsyncGenerator<Completion> {
      if (closed) throw new BackendError("generate() called on a closed openai backend; create a new one");
      const run = new GenerationRun(requests, endpoints, runSettings, genOpts);
      run.start();
      try {
        yield* run.output;
      } finally {
        run.cancel();
      }
    },
    async close() {
      closed = true;
      for (const ep of endpoints) ep.close();
    },
  };
}
