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

/** OpenAI's o1/o3 reasoning models take only user messages and no sampling settings (as upstream). */
export function isOpenAIReasoningModel(model: string): boolean {
  return /^o[13]/.test(model.slice(model.lastIndexOf("/") + 1));
}

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
  body.temperature = s.temperature;
  body.top_p = s.top_p;
  const seed = sampleSeed(s.seed, sampleIndex);
  if (seed !== undefined) body.seed = seed;
  if (s.stop && s.stop.length > 0) body.stop = s.stop;
  if (s.presence_penalty !== undefined) body.presence_penalty = s.presence_penalty;
  if (s.frequency_penalty !== undefined) body.frequency_penalty = s.frequency_penalty;
  // vLLM's extra sampling parameters; sent only when set because OpenAI itself rejects them.
  if (s.top_k !== undefined) body.top_k = s.top_k;
  if (s.min_p !== undefined) body.min_p = s.min_p;
  if (s.repetition_penalty !== undefined) body.repetition_penalty = s.repetition_penalty;
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
