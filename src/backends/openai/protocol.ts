import { isOpenAIReasoningModel, type SamplingParams } from "../../sampling/index.js";
import type { ChatMessage, FinishReason, GenerationRequest, PromptRenderer } from "../types.js";

/**
 * Request bodies and response parsing for /chat/completions and /completions. Each sample is its
 * own request with n=1 (see docs/scale.md): exact token counts per sample, a per-sample seed, and a
 * retry that redoes only the sample that failed.
 */

export type Mode = "chat" | "completions";

export interface BodyOptions {
  mode: Mode;
  model: string;
  renderPrompt?: PromptRenderer | undefined;
}

export interface SampleResult {
  text: string;
  reasoning?: string;
  finishReason: Exclude<FinishReason, "abort" | "error">;
  promptTokens: number;
  completionTokens: number;
}

/** The server answered 2xx with something that is not a completion: worth a retry. */
export class ProtocolError extends Error {
  override name = "ProtocolError";
}

const SEED_SPACE = 2 ** 32;

/** Sample i of a seeded request uses seed + i, so a retried sample draws the same text again. */
export function sampleSeed(seed: number | undefined, sampleIndex: number): number | undefined {
  return seed === undefined ? undefined : (seed + sampleIndex) % SEED_SPACE;
}

/**
 * Where each sampling parameter goes in a request body: a field of OpenAI's API, one of vLLM's
 * extra sampling parameters (OpenAI itself rejects those), or written apart by buildBody. Every
 * key that is set is sent; a new SamplingParams key does not compile until it is placed here.
 */
export const SAMPLING_FIELD_KIND: Record<keyof SamplingParams, "openai" | "vllm" | "apart"> = {
  temperature: "openai",
  top_p: "openai",
  max_tokens: "apart", // max_tokens or max_completion_tokens, by mode
  seed: "apart", // seed + sample index
  stop: "openai",
  presence_penalty: "openai",
  frequency_penalty: "openai",
  logit_bias: "openai",
  top_k: "vllm",
  min_p: "vllm",
  repetition_penalty: "vllm",
  min_tokens: "vllm",
  ignore_eos: "vllm",
};

export function requestPath(mode: Mode): string {
  return mode === "chat" ? "/chat/completions" : "/completions";
}

export function buildBody(req: GenerationRequest, sampleIndex: number, opts: BodyOptions): string {
  const s = req.sampling;
  const body: Record<string, unknown> = { model: opts.model };
  const prefill = req.assistantPrefill;
  const messages: ChatMessage[] =
    prefill === undefined ? req.messages : [...req.messages, { role: "assistant", content: prefill }];

  if (opts.mode === "completions") {
    if (!opts.renderPrompt) throw new Error("mode=completions needs a prompt renderer");
    body.prompt = opts.renderPrompt(messages, { continueFinalMessage: prefill !== undefined });
    body.max_tokens = s.max_tokens;
  } else if (isOpenAIReasoningModel(opts.model)) {
    body.messages = messages.map((m) => ({ role: "user", content: m.content }));
    body.max_completion_tokens = s.max_tokens;
    return JSON.stringify(body);
  } else {
    body.messages = messages;
    body.max_completion_tokens = s.max_tokens;
    if (prefill !== undefined) {
      // vLLM (and llama-server) extension: continue the assistant message instead of opening a new one.
      body.continue_final_message = true;
      body.add_generation_prompt = false;
    }
  }
  for (const [key, kind] of Object.entries(SAMPLING_FIELD_KIND)) {
    const value = s[key as keyof SamplingParams];
    if (kind === "apart" || value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    body[key] = value;
  }
  const seed = sampleSeed(s.seed, sampleIndex);
  if (seed !== undefined) body.seed = seed;
  return JSON.stringify(body);
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object";

export function parseResponse(text: string, mode: Mode): SampleResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ProtocolError(`response is not JSON: ${JSON.stringify(text.slice(0, 200))}`);
  }
  const choice = isObject(json) && Array.isArray(json.choices) ? json.choices[0] : undefined;
  if (!isObject(choice)) throw new ProtocolError(`response has no choices: ${text.slice(0, 200)}`);

  let content: unknown;
  let reasoning: unknown;
  if (mode === "chat") {
    const message = choice.message;
    if (!isObject(message)) throw new ProtocolError(`choice has no message: ${text.slice(0, 200)}`);
    content = message.content ?? "";
    // vLLM's reasoning parsers and llama-server fill reasoning_content; newer vLLM calls it reasoning.
    reasoning = message.reasoning_content ?? message.reasoning;
  } else {
    content = choice.text;
  }
  if (typeof content !== "string") throw new ProtocolError(`choice has no text: ${text.slice(0, 200)}`);

  const usage = isObject(json) && isObject(json.usage) ? json.usage : {};
  const count = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
  return {
    text: content,
    ...(typeof reasoning === "string" && reasoning !== "" ? { reasoning } : {}),
    finishReason: choice.finish_reason === "length" ? "length" : "stop",
    promptTokens: count(usage.prompt_tokens),
    completionTokens: count(usage.completion_tokens),
  };
}

/** The server's own words from an error body (OpenAI `{error:{message}}`, vLLM `{message}`, FastAPI `{detail}`). */
export function errorMessage(text: string): string {
  try {
    const json: unknown = JSON.parse(text);
    if (isObject(json)) {
      const e = json.error;
      if (isObject(e) && typeof e.message === "string") return e.message;
      if (typeof e === "string") return e;
      if (typeof json.message === "string") return json.message;
      if (json.detail !== undefined) return typeof json.detail === "string" ? json.detail : JSON.stringify(json.detail);
    }
  } catch {
    // not JSON: the raw text is the message
  }
  return text.trim().slice(0, 500) || "(empty body)";
}
