import xxhash from "xxhash-wasm";
import type { Backend, ChatMessage, GenerationRequest, SamplingParams } from "../backends/index.js";
import type { Problem, RunStore } from "../runs/index.js";
import type { PipelineEvent } from "./options.js";

export interface GenerationPlan {
  problems: readonly Problem[];
  n: number;
  sampling: SamplingParams;
  /** Base seed: sample i of problem p draws from (requestSeed(p), i), whatever the batch holds. */
  seed: number;
}

/**
 * The seed of a problem's request: xxHash32 of "<base seed>/<_index>". Derived from the row's
 * identity rather than its position, so a slice or a resume asks for exactly the same samples.
 */
export async function requestSeeds(seed: number, ids: readonly string[]): Promise<Map<string, number>> {
  const { h32 } = await xxhash();
  return new Map(ids.map((id) => [id, h32(`${seed}/${id}`, 0) >>> 0]));
}

/** The sample indices of a problem not yet in the store. */
export function missingSamples(store: RunStore, p: Problem, n: number): number[] {
  return Array.from({ length: n }, (_, i) => i).filter((i) => !store.hasSample(p.row._index, i));
}

/** Splits upstream's conversation into the request's messages and its assistant prefill. */
export function requestMessages(conversation: readonly ChatMessage[]): { messages: ChatMessage[]; assistantPrefill?: string } {
  const last = conversation[conversation.length - 1];
  if (last?.role === "assistant") return { messages: conversation.slice(0, -1), assistantPrefill: last.content };
  return { messages: [...conversation] };
}

/**
 * Sends every problem with samples missing to the backend and appends each finished sample to the
 * store as it arrives. A problem that a kill left partly done is asked only for the samples it
 * lacks; the per-sample seeds make them what an uninterrupted run would have drawn. (A backend
 * that ignores `samples` sends all n; those already stored are dropped.)
 */
export async function generateSamples(
  store: RunStore,
  backend: Backend,
  plan: GenerationPlan,
  opts: { signal?: AbortSignal | undefined; emit: (e: PipelineEvent) => void },
): Promise<{ generated: number }> {
  const pending = plan.problems.map((p) => ({ p, missing: missingSamples(store, p, plan.n) })).filter((x) => x.missing.length > 0);
  const seeds = await requestSeeds(plan.seed, pending.map((x) => x.p.row._index));
  const requests: GenerationRequest[] = pending.map(({ p, missing }) => ({
    id: p.row._index,
    n: plan.n,
    ...(missing.length < plan.n ? { samples: missing } : {}),
    sampling: { ...plan.sampling, seed: seeds.get(p.row._index)! },
    ...requestMessages(p.conversation),
  }));
  const samplesTotal = plan.problems.length * plan.n;
  let samplesDone = samplesTotal - pending.reduce((a, x) => a + x.missing.length, 0);
  let generated = 0;
  let tokens = 0;
  let backendTokens: number | undefined;
  let tokensPerSec = 0;
  let active = 0;
  let waiting: { what: string; since: number } | undefined;
  let preemptions: number | undefined;
  const report = () =>
    opts.emit({
      type: "progress", samplesDone, samplesTotal, generatedTokens: backendTokens ?? tokens, tokensPerSec, active, waiting,
      ...(preemptions !== undefined ? { preemptions } : {}),
    });
  const promptHashes = new Map(pending.map(({ p }) => [p.row._index, p.promptHash]));
  const started = Date.now();

  for await (const c of backend.generate(requests, {
    signal: opts.signal,
    onProgress: (p) => {
      backendTokens = p.generatedTokens;
      tokensPerSec = p.tokensPerSec;
      active = p.active;
      waiting = p.waiting;
      preemptions = p.preemptions;
      report();
    },
  })) {
    if (c.finishReason === "abort" || store.hasSample(c.requestId, c.sampleIndex)) continue;
    store.appendSample({
      id: c.requestId,
      sample: c.sampleIndex,
      text: c.text,
      finish_reason: c.finishReason,
      prompt_tokens: c.promptTokens,
      completion_tokens: c.completionTokens,
      ...(c.error !== undefined ? { error: c.error } : {}),
      ...(c.reasoning !== undefined ? { reasoning: c.reasoning } : {}),
      prompt_hash: promptHashes.get(c.requestId)!,
      ...(c.preemptions !== undefined ? { preemptions: c.preemptions } : {}),
      time: new Date().toISOString(),
    });
    generated++;
    tokens += c.completionTokens;
    if (c.finishReason !== "error") samplesDone++;
    if (backendTokens === undefined) tokensPerSec = tokens / Math.max(1e-3, (Date.now() - started) / 1000);
    report();
  }
  return { generated };
}
