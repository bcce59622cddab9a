import type { ChatMessage } from "../backends/types.js";
import { PyFloat } from "../config/pyValue.js";
import type { Row } from "../tasks/types.js";
import { pyRound } from "./pyMath.js";
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
}

// Python's str.isspace set, which differs from JS's \s (\x1c-\x1f and \x85 yes, \ufeff no).
const PY_SPACE = "[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
const STRIP = new RegExp(`^${PY_SPACE}+|${PY_SPACE}+$`, "g");

/** Python's `str.strip()`. */
export function pyStrip(s: string): string {
  return s.replace(STRIP, "");
}

/** The record upstream stores for a problem (spec 8.1), its responses not yet scored. */
export function buildRecord(problem: Problem, samples: readonly SampleLine[], opts: { numina?: boolean } = {}): ResultRecord {
  const { conversation } = problem;
  const promptTokens = samples[0]?.prompt_tokens ?? 0;
  const record: Record<string, unknown> = { ...problem.row };
  // Upstream stores an empty "messages" field for NUMINA tasks only.
  if (opts.numina) record.messages = "";
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

/** Per-record correctness as 0/1 (upstream's id_to_scores); null where a response was never scored. */
export function scoreTable(records: Iterable<ResultRecord>): { id: string; scores: (number | null)[] }[] {
  return [...records].map((r) => ({
    id: r._index,
    scores: r.responses.map((x) => (x.correctness === null ? null : x.correctness ? 1 : 0)),
  }));
}
