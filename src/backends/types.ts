/** The contract between the pipeline and every backend (`llama`, `openai`). See DESIGN.md. */
import type { SamplingParams } from "../sampling/index.js";

export type ChatRole = "system" | "user" | "assistant";

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

/** Sampling settings common to all backends (src/sampling); a backend ignores what it cannot honour and says so. */
export type { SamplingParams };

export interface GenerationRequest {
  id: string;
  /** The conversation without the assistant prefill. */
  messages: ChatMessage[];
  /** Number of samples of this prompt. */
  n: number;
  /**
   * Which of the n samples to generate (distinct, each in [0, n)); all of them when absent. A
   * resumed run asks only for what it lacks: sample i is the same whichever others are asked for.
   */
  samples?: number[];
  sampling: SamplingParams;
  /**
   * Text that opens the assistant turn. The model continues it (upstream's
   * `continue_final_message=True`); it is not part of the completion's text.
   */
  assistantPrefill?: string;
}

/** The sample indices a request asks for. */
export function requestedSamples(request: GenerationRequest): number[] {
  return request.samples ?? Array.from({ length: request.n }, (_, i) => i);
}

/**
 * stop: end-of-generation token or stop string; length: max_tokens reached; context: prompt +
 * completion reached the model's context before max_tokens (a shorter answer than asked, counted
 * apart); abort: cancelled; error: see `error`.
 */
export type FinishReason = "stop" | "length" | "context" | "abort" | "error";

export interface Completion {
  requestId: string;
  sampleIndex: number;
  text: string;
  finishReason: FinishReason;
  error?: string;
  promptTokens: number;
  completionTokens: number;
  /** Reasoning text some servers return beside the answer (`reasoning_content`). */
  reasoning?: string;
  /** llama, KV pool: times the sample's cells were taken back and recomputed (its text is unchanged). */
  preemptions?: number;
}

export interface Progress {
  /** Samples finished so far in this `generate` call. */
  completedSamples: number;
  totalSamples: number;
  /** Sequences (local) or requests (remote) in flight. */
  active: number;
  promptTokens: number;
  generatedTokens: number;
  /** Generated tokens per second over the recent past. */
  tokensPerSec: number;
  /**
   * What the backend is waiting for while nothing arrives (e.g. "the first answer from 1
   * endpoint"), and since when (ms since the epoch), for the progress line; absent otherwise.
   */
  waiting?: { what: string; since: number } | undefined;
  /** llama, KV pool: sequences preempted so far in this call (recomputed later, unchanged). */
  preemptions?: number;
}

export interface GenerateOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

export interface Backend {
  /** Completions arrive as they finish, in any order; every requested sample arrives exactly once. */
  generate(requests: GenerationRequest[], opts?: GenerateOptions): AsyncIterable<Completion>;
  close(): Promise<void>;
}

/**
 * Renders a conversation into the model's prompt text (its chat template). With
 * `continueFinalMessage` the last message is an assistant prefill to be continued;
 * otherwise the generation prompt is added.
 */
export type PromptRenderer = (messages: ChatMessage[], opts: { continueFinalMessage: boolean }) => string;
