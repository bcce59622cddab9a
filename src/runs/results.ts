import type { ChatMessage } from "../backends/index.js";
import type { Row } from "../data/index.js";
import { PyFloat, pyRound, pyStrip } from "../py/index.js";
import type { SampleLine } from "./samplesFile.js";

export interface ResponseEntry {
  content: string;
  correctness: boolean | null;
  reason: string | null;
}

/** One value of results.json: the row's columns, then prompt, conversation, responses, token usages. */
export type ResultRecord = Record<string, unknown> & {
  _index: string;
  responses: ResponseEntry[];
  token_usages: { completion_tokens: number; prompt_tokens: number }[];
};

export interface Problem {
  row: Row;
  /** The conversation as upstream stores it (with the assistant prefill as last message). */
  conversation: ChatMessage[];
  /** samples.jsonl's `prompt_hash` of its samples: what they answer. */
  promptHash: string;
}

/**
 * The record upstream stores for a problem (spec 8.1), its responses not yet scored: the row's
 * columns, then `extras` (a handler's own fields), prompt, conversation, responses, token usages.
 */
export function buildRecord(problem: Problem, samples: readonly SampleLine[], extras: Readonly<Record<string, unknown>> = {}): ResultRecord {
  const { conversation } = problem;
  const promptTokens = samples[0]?.prompt_tokens ?? 0;
  const record: Record<string, unknown> = { ...problem.row, ...extras };
  // Upstream's quirk: the second message when there are several (the prefill when there is no system prompt).
  record.prompt = (conversation.length > 1 ? conversation[1] : conversation[0])?.content ?? "";
  record.input_conversation = conversation.map((m) => ({ role: m.role, content: m.content }));
  record.responses = samples.map((s) => ({ content: pyStrip(s.text), correctness: null, reason: null }));
  record.token_usages = samples.map((s) => ({ completion_tokens: s.completion_tokens, prompt_tokens: promptTokens }));
  return record as ResultRecord;
}

export interface SummaryInput {
  configuration: unknown;
  records: readonly ResultRecord[];
  /** Samples per problem. */
  n: number;
  accuracy: number | PyFloat;
  passAtK: Record<string, PyFloat> | null;
}

/** summary.json in upstream's key order (spec 8.5). */
export function buildSummary(input: SummaryInput): Record<string, unknown> {
  let completion = 0;
  let prompt = 0;
  for (const r of input.records) {
    for (const u of r.token_usages) completion += u.completion_tokens;
    prompt += r.token_usages[0]?.prompt_tokens ?? 0;
  }
  const denominator = input.records.length * input.n;
  const avg = (total: number) => (total === 0 || denominator === 0 ? 0 : new PyFloat(pyRound(total / denominator, 3)));
  return {
    configuration: input.configuration,
    total_completion_tokens: completion,
    avg_completion_tokens: avg(completion),
    total_prompt_tokens: prompt,
    avg_prompt_tokens: avg(prompt),
    accuracy: input.accuracy,
    pass_at_k: input.passAtK,
  };
}
